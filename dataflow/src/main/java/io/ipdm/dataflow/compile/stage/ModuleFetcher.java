package io.ipdm.dataflow.compile.stage;

import io.ipdm.lakes.node.NodeInfo;
import io.ipdm.wasm.ModuleCid;
import io.ipdm.wasm.ModuleNotFoundException;
import io.ipdm.wasm.ModuleStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Fetches a {@code cid:} module the local {@link ModuleStore} lacks from IPFS trustless gateways
 * ({@code GET /ipfs/<cid>?format=raw}), which read the network: an {@code ipdm node} with the
 * gateway or processing role looks in its lake, then asks the DHT for providers and fetches the
 * block over Bitswap. The bytes are checked against the CID before anything else sees them, then
 * added to the store (validated as a module), so the next run finds them locally.
 *
 * <p>Gateways asked, in order: {@code ipdm.gateways} (system property) or {@code IPDM_GATEWAY}
 * (environment), comma-separated URLs; then the gateway of the node running on {@code
 * $IPDM_LAKE_DIR} (else {@code .ipdm/lake}), read from its {@code node.json}. A module must be one
 * raw block, so at most {@link #MAX_BYTES} (Bitswap's 2 MiB block limit).
 */
public final class ModuleFetcher {
    public static final String PROPERTY = "ipdm.gateways";
    public static final String ENV = "IPDM_GATEWAY";
    public static final int MAX_BYTES = 2 << 20;

    private final List<String> gateways;
    private final Duration timeout;

    public ModuleFetcher(List<String> gateways, Duration timeout) {
        this.gateways = List.copyOf(gateways);
        this.timeout = timeout;
    }

    /** The gateways this process is configured with (see the class comment). */
    public static ModuleFetcher configured() {
        return new ModuleFetcher(
                configuredGateways(System.getProperties(), System.getenv()),
                Duration.ofSeconds(60));
    }

    static List<String> configuredGateways(Properties props, Map<String, String> env) {
        Set<String> out = new LinkedHashSet<>();
        String given = props.getProperty(PROPERTY);
        if (given == null || given.isBlank()) {
            given = env.get(ENV);
        }
        if (given != null) {
            Arrays.stream(given.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
                    .forEach(out::add);
        }
        String lake = env.getOrDefault("IPDM_LAKE_DIR", ".ipdm/lake");
        if (Files.isRegularFile(NodeInfo.file(Path.of(lake)))) {
            try {
                String gw = NodeInfo.read(Path.of(lake)).gateway();
                if (gw != null && !gw.isEmpty()) {
                    out.add(gw);
                }
            } catch (IOException | RuntimeException e) {
                // a node.json being rewritten or stale: the other gateways still serve
            }
        }
        return new ArrayList<>(out);
    }

    public List<String> gateways() {
        return gateways;
    }

    /**
     * The module's bytes from the first gateway that has them and whose bytes hash to {@code cid},
     * added to {@code store}.
     *
     * @throws ModuleNotFoundException naming the CID, the store and every gateway asked with what
     *     it answered
     */
    public byte[] fetch(ModuleCid cid, ModuleStore store) {
        List<String> asked = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            for (String gw : gateways) {
                String url = gw + "/ipfs/" + cid + "?format=raw";
                try {
                    HttpResponse<InputStream> r =
                            http.send(
                                    HttpRequest.newBuilder(URI.create(url))
                                            .header("Accept", "application/vnd.ipld.raw")
                                            .timeout(timeout)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofInputStream());
                    byte[] bytes;
                    try (InputStream in = r.body()) {
                        bytes = in.readNBytes(MAX_BYTES + 1);
                    }
                    if (r.statusCode() != 200) {
                        asked.add(gw + " (HTTP " + r.statusCode() + ")");
                        continue;
                    }
                    if (bytes.length > MAX_BYTES) {
                        asked.add(gw + " (answer over " + MAX_BYTES + " bytes)");
                        continue;
                    }
                    ModuleCid got = ModuleCid.of(bytes);
                    if (!got.equals(cid)) {
                        asked.add(gw + " (sent bytes hashing to " + got + ": refused)");
                        continue;
                    }
                    store.add(cid.toString(), bytes);
                    return bytes;
                } catch (IOException | IllegalArgumentException e) {
                    asked.add(gw + " (" + e.getMessage() + ")");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    asked.add(gw + " (interrupted)");
                    break;
                }
            }
        }
        throw new ModuleNotFoundException(
                "module "
                        + cid
                        + " not found in "
                        + store.dir()
                        + (gateways.isEmpty()
                                ? " and no gateway to ask the network through"
                                : " nor through the gateways asked: " + String.join(", ", asked))
                        + "; add it with `ipdm wasm add FILE`, or run an `ipdm node` with the"
                        + " gateway or processing role on $IPDM_LAKE_DIR (or set "
                        + ENV
                        + ") where a storage node holds it (`ipdm wasm add --lake DIR FILE`)");
    }
}
