package io.ipdm.dataflow.spec;

import io.ipdm.dataflow.yaml.Location;

/** One mistake in a pipeline file: where, which key path, and what to do. */
public record PipelineError(Location location, String path, String message) {
    @Override
    public String toString() {
        return location + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
