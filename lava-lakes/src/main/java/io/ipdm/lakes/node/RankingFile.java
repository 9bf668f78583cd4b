package io.ipdm.lakes.node;

import io.ipdm.lakes.durability.ChallengeOutcome;
import io.ipdm.lakes.durability.PeerRank;
import io.ipdm.mesh.identity.PeerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The durability engine's ranking of peers, kept in {@value #FILE} in the lake directory so that a
 * restart does not give a caught liar a clean slate. Layout (text, rewritten atomically):
 *
 * <pre>
 * saved-at MILLIS
 * PEER STORED LOST OFFENCES LOW(0|1) ISOLATED(0|1) LAST-OUTCOME(-|STORED|...) LAST-AT-MILLIS
 * ...
 * </pre>
 *
 * Used on the node's task thread only.
 */
final class RankingFile {
    static final String FILE = "durability-ranking.txt";

    /** What was read: the ranks and when they were saved. */
    record Saved(List<PeerRank> ranks, long savedAtMillis) {}

    private final Path file;

    RankingFile(Path file) {
        this.file = file;
    }

    /** The saved ranking, or an empty one when there is no file. */
    Saved load() {
        if (!Files.exists(file)) {
            return new Saved(List.of(), 0);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        long savedAt = 0;
        List<PeerRank> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ");
            try {
                if (i == 0) {
                    if (f.length != 2 || !f[0].equals("saved-at")) {
                        throw new IllegalArgumentException("expected 'saved-at MILLIS'");
                    }
                    savedAt = Long.parseLong(f[1]);
                    continue;
                }
                if (f.length != 8) {
                    throw new IllegalArgumentException("expected 8 fields, found " + f.length);
                }
                out.add(
                        new PeerRank(
                                PeerId.parse(f[0]),
                                Double.parseDouble(f[1]),
                                Double.parseDouble(f[2]),
                                0,
                                Double.parseDouble(f[3]),
                                f[4].equals("1"),
                                f[5].equals("1"),
                                f[6].equals("-") ? null : ChallengeOutcome.valueOf(f[6]),
                                Long.parseLong(f[7])));
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        file
                                + " line "
                                + (i + 1)
                                + ": "
                                + e.getMessage()
                                + " (the peer ranking kept across restarts); delete the file to"
                                + " start without it",
                        e);
            }
        }
        return new Saved(out, savedAt);
    }

    void save(List<PeerRank> ranks, long nowMillis) {
        StringBuilder sb = new StringBuilder("saved-at ").append(nowMillis).append('\n');
        for (PeerRank r : ranks) {
            sb.append(r.peer().toBase58())
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.6f", r.stored()))
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.6f", r.lost()))
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.6f", r.offences()))
                    .append(' ')
                    .append(r.lowRanked() ? 1 : 0)
                    .append(' ')
                    .append(r.isolated() ? 1 : 0)
                    .append(' ')
                    .append(r.lastOutcome() == null ? "-" : r.lastOutcome().name())
                    .append(' ')
                    .append(r.lastOutcomeAtMillis())
                    .append('\n');
        }
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".durability-ranking", ".tmp");
            Files.writeString(tmp, sb);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
