package io.ipdm.connectors.solana.archive.enumerator;

import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import java.util.List;

/**
 * The splits not yet handed out and the last slot of the archives; {@code discovered} false before
 * the archives were indexed (then both are empty).
 */
public record ArchiveEnumeratorState(
        boolean discovered, long lastSlot, List<ArchiveSplit> pending) {
    public static final ArchiveEnumeratorState INITIAL =
            new ArchiveEnumeratorState(false, -1, List.of());

    public ArchiveEnumeratorState {
        pending = List.copyOf(pending);
    }
}
