package io.ipdm.connectors.solana.archive.split;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A slot range of one archive, read in slot order by one reader. For an archive file or URL ({@link
 * #CAR}) {@code start}/{@code end} are byte offsets (from the end of the Block section before the
 * range to the end of the range's last Block section); for a DAG in a lake ({@link #DAG}) {@code
 * location} is a Subset CID and {@code start}/{@code end} index its block list (end exclusive). As
 * the reader goes, {@code start} moves past every emitted block and {@code done} counts them, so a
 * restored split resumes after the last block emitted before the checkpoint.
 *
 * @param index the slot index file the range comes from (for messages), or "" for a DAG
 * @param previousSlot slot of the block just before {@code start}, or -1
 * @param previousBlockhash blockhash of that block (the parent's, when it is the parent)
 * @param blocks how many blocks the whole range holds
 * @param done blocks already emitted
 */
public record ArchiveSplit(
        int kind,
        String location,
        String index,
        long start,
        long end,
        long firstSlot,
        long lastSlot,
        long previousSlot,
        String previousBlockhash,
        int blocks,
        int done)
        implements SourceSplit {
    public static final int CAR = 0;
    public static final int DAG = 1;

    @Override
    public String splitId() {
        return location + "@" + firstSlot + "-" + lastSlot;
    }

    /** The split after one more block: it ended at {@code next}. */
    public ArchiveSplit advance(long next, long slot, String blockhash) {
        return new ArchiveSplit(
                kind, location, index, next, end, firstSlot, lastSlot, slot, blockhash, blocks,
                done + 1);
    }

    public boolean finished() {
        return start >= end;
    }
}
