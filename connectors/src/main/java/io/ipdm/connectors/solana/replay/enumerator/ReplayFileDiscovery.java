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
 * Expands files and directories into one split per getBlock response file, with the block time and
 * slot that order replay ({@link ReplaySplit#REPLAY_ORDER}). Both come from a streaming scan of the
 * top-level fields (tokens only, nothing decoded; nested values are skipped, and the scan stops as
 * soon as it has what it needs): {@code blockTime}, and {@code slot} or {@code parentSlot + 1}; a
 * slot in the file name wins. In directories (searched recursively) only {@code *.json} files that
 * look like getBlock/getTransaction responses are taken; others are logged and ignored. A file
 * named explicitly must be one.
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
                    ReplaySplit split = splitOf(f);
                    if (split == null) {
                        LOG.info("ignoring {}: not a getBlock or getTransaction response", f);
                    } else {
                        out.add(split);
                    }
                }
            } else if (Files.isRegularFile(path)) {
                ReplaySplit split = splitOf(path);
                if (split == null) {
                    throw new SolanaDecodeException(
                            path
                                    + ": not a getBlock or getTransaction response (no blockhash,"
                                    + " transaction or result object at the top level)");
                }
                out.add(split);
            } else {
                throw new SolanaDecodeException(
                        "replay path " + path + " does not exist or is not a file or directory");
            }
        }
        return out;
    }

    /** The file's split (slot and block time), or null when it is no block/transaction response. */
    static ReplaySplit splitOf(Path file) {
        Long fromName = GetBlockDecoder.slotFromFileName(file.getFileName().toString());
        Scan scan = new Scan(fromName != null);
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            scanObjectBody(p, scan);
        } catch (IOException e) {
            // A response cut short or broken after its first fields is still taken, so that
            // reading it reports the parse error and its offset, not "not a response".
            if (!scan.isResponse) {
                return null;
            }
        }
        if (!scan.isResponse) {
            return null;
        }
        long slot =
                fromName != null
                        ? fromName
                        : scan.slot != null ? scan.slot : scan.parent == null ? 0 : scan.parent + 1;
        return new ReplaySplit(file.toString(), slot, scan.blockTime, 0);
    }

    /** What the scan found so far. */
    private static final class Scan {
        final boolean slotKnown;
        boolean isResponse;
        boolean blockTimeSeen;
        long blockTime = ReplaySplit.NO_BLOCK_TIME;
        Long slot;
        Long parent;

        Scan(boolean slotKnown) {
            this.slotKnown = slotKnown;
        }

        /** Everything ordering needs: the rest of the file (often the transactions) is not read. */
        boolean complete() {
            return isResponse && blockTimeSeen && (slotKnown || slot != null || parent != null);
        }
    }

    /** Reads top-level fields only, descending into a JSON-RPC {@code result}. */
    private static void scanObjectBody(JsonParser p, Scan scan) throws IOException {
        while (!scan.complete() && p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "result" -> {
                    if (t == JsonToken.START_OBJECT) {
                        scanObjectBody(p, scan);
                        return;
                    }
                    p.skipChildren();
                }
                case "slot" -> scan.slot = t.isNumeric() ? p.getLongValue() : null;
                case "parentSlot" -> scan.parent = t.isNumeric() ? p.getLongValue() : null;
                case "blockTime" -> {
                    // a non-numeric blockTime is the decoder's error to report; here it only
                    // orders the file with those that have none
                    scan.blockTimeSeen = true;
                    scan.blockTime =
                            t == JsonToken.VALUE_NUMBER_INT
                                    ? p.getLongValue()
                                    : ReplaySplit.NO_BLOCK_TIME;
                    p.skipChildren();
                }
                case "blockhash", "transaction" -> {
                    scan.isResponse = true;
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
    }
}
