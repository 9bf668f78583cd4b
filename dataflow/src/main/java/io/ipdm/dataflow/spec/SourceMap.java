package io.ipdm.dataflow.spec;

import io.ipdm.dataflow.yaml.Location;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key path of a parsed pipeline was written, so later phases (compiler, CEL) can point
 * errors at the file without the model records carrying locations.
 */
public final class SourceMap {
    private final Map<String, Location> locations = new HashMap<>();
    private final Location fallback;

    public SourceMap(Location fallback) {
        this.fallback = fallback;
    }

    public void put(String path, Location location) {
        locations.putIfAbsent(path, location);
    }

    /** The location of {@code path}, or of its nearest recorded parent. */
    public Location get(String path) {
        String p = path;
        while (true) {
            Location l = locations.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return fallback;
            }
            p = p.substring(0, cut);
        }
    }

    public PipelineError error(String path, String message) {
        return new PipelineError(get(path), path, message);
    }
}
