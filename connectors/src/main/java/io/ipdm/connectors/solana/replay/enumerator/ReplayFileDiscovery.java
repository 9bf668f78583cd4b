package io.ipdm.connectors.solana.replay.enumerator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.replay.split.ReplaySplit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expands files and directories into one split per getBlock response file. The slot used for
 * ordering comes from the file name when it has one, else from a streaming scan of the top-level
 * fields ({@code slot}, or {@code parentSlot + 1}). In directories (searched recursively) only
 * {@code *.json} files that look like getBlock/getTransaction responses are taken; others are
 * logged and ignored. A file named explicitly must be one.
 */
public final class ReplayFileDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayFileDiscovery.class);
    private static final JsonFactory JSON = new JsonFactory();

    private ReplayFileDiscovery() {}

    public static List<ReplaySplit> discover(List<String> paths) {
        List<ReplaySplit> out = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> s = Files.walk(path)) {
                    files =
                            s.filter(Files::isRegularFile)
                                    .filter(f -> f.getFileName().toString().endsWith(".json"))
                                    .sorted()
                                    .toList();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list replay directory " + path, e);
                }
                for (Path f : files) {
                    Long slot = slotOf(f);
                    if (slot == null) {
                        LOG.info("ignoring {}: not a getBlock or getTransaction response", f);
                    } else {
                        out.add(new ReplaySplit(f.toString(), slot, 0));
                    }
                }
            } else if (Files.isRegularFile(path)) {
                Long slot = slotOf(path);
                if (slot == null) {
                    throw new SolanaDecodeException(
                            path
                                    + ": not a getBlock or getTransaction response (no blockhash,"
                                    + " transaction or result object at the top level)");
                }
                out.add(new ReplaySplit(path.toString(), slot, 0));
            } else {
                throw new SolanaDecodeException(
                        "replay path " + path + " does not exist or is not a file or directory");
            }
        }
        return out;
    }

    /** The slot to order by, or null when the file is not a block/transaction response. */
    static Long slotOf(Path file) {
        Long fromName = GetBlockDecoder.slotFromFileName(file.getFileName().toString());
        try (JsonParser p = JSON.createParser(file.toFile())) {
            Long scanned = scan(p);
            if (scanned == null) {
                return null;
            }
            return fromName != null ? fromName : scanned;
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads top-level fields only, descending into a JSON-RPC {@code result}. */
    private static Long scan(JsonParser p) throws IOException {
        return p.nextToken() == JsonToken.START_OBJECT ? scanObjectBody(p) : null;
    }

    private static Long scanObjectBody(JsonParser p) throws IOException {
        Long slot = null;
        Long parent = null;
        boolean isResponse = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "result" -> {
                    if (t == JsonToken.START_OBJECT) {
                        return scanObjectBody(p);
                    }
                    p.skipChildren();
                }
                case "slot" -> slot = t.isNumeric() ? p.getLongValue() : null;
                case "parentSlot" -> parent = t.isNumeric() ? p.getLongValue() : null;
                case "blockhash", "transaction" -> {
                    isResponse = true;
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
        return isResponse
                ? (slot != null ? slot : parent == null ? Long.valueOf(0) : parent + 1)
                : null;
    }
}
