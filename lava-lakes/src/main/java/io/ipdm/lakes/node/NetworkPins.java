package io.ipdm.lakes.node;

import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pins the durability engine made, kept apart from the user's: the engine pins the roots this
 * node holds for the network and unpins them on hand-off or collection, but a root the user pinned
 * ({@code lake put}, {@code import-car}) stays pinned whatever the engine decides. The engine's
 * pins are listed in {@value #FILE} in the lake directory (one CID per line, rewritten atomically)
 * so the distinction survives restarts. Used on the node's task thread only.
 */
final class NetworkPins {
    static final String FILE = "durability-pins.txt";

    private final TieredStore store;
    private final Path file;
    private final Set<Cid> mine = new LinkedHashSet<>();

    NetworkPins(TieredStore store, Path file) {
        this.store = store;
        this.file = file;
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        mine.add(Cid.parse(line.trim()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(
                        "cannot read "
                                + file
                                + " (the roots this node pinned for the network): "
                                + e.getMessage()
                                + "; delete it to treat every pin as the user's",
                        e);
            }
        }
    }

    /** Pins {@code root} for the network unless the user pinned it already. */
    void pin(Cid root) {
        if (mine.contains(root) || store.pins().contains(root)) {
            return;
        }
        store.pin(root);
        mine.add(root);
        save();
    }

    /** Unpins {@code root} if the engine pinned it; a user's pin stays. */
    void unpin(Cid root) {
        if (mine.remove(root)) {
            store.unpin(root);
            save();
        }
    }

    List<Cid> networkPins() {
        return List.copyOf(mine);
    }

    private void save() {
        StringBuilder sb = new StringBuilder();
        mine.forEach(c -> sb.append(c).append('\n'));
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".durability-pins", ".tmp");
            Files.writeString(tmp, sb);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
