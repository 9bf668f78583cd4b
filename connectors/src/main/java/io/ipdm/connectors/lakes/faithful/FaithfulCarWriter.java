package io.ipdm.connectors.lakes.faithful;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarWriter;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Multihash;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes an Old Faithful epoch CAR: for every block, in slot order, its Transaction nodes, one
 * Entry node, its Rewards node (when it has rewards), then the Block node; at the end Subset nodes
 * of up to {@value #BLOCKS_PER_SUBSET} blocks and the Epoch node, which is the CAR's root. See
 * {@link FaithfulNodes} for the node layouts.
 *
 * <p>A getBlock response does not carry a block's PoH entries, so each block gets one Entry whose
 * hash is the blockhash (Old Faithful's blockhash is its last entry's hash) and whose {@code
 * numHashes} is 0; the shredding list has one {@code [0, -1]} element for it. Data frames are
 * single frames. The root is known only at the end, so the header is written with a placeholder CID
 * of the same length and rewritten on {@link #finish}.
 */
public final class FaithfulCarWriter implements Closeable {
    static final int BLOCKS_PER_SUBSET = 1000;
    static final long SLOTS_PER_EPOCH = 432_000;

    /** The link of a block without rewards: CIDv1 raw, identity multihash of nothing. */
    static final Cid NO_REWARDS = Cid.v1(Multicodec.RAW, Multihash.identity(new byte[0]));

    /** A transaction as Old Faithful stores it: wire bytes and the metadata frame. */
    public record Tx(byte[] wire, byte[] metaFrame) {}

    private final Path path;
    private final RandomAccessFile file;
    private final OutputStream out;
    private final CarWriter car;
    private final List<Cid> blocks = new ArrayList<>();
    private final List<Long> slots = new ArrayList<>();
    private long lastSlot = -1;
    private long transactions;

    public FaithfulCarWriter(Path path) throws IOException {
        this.path = path;
        Files.deleteIfExists(path);
        this.file = new RandomAccessFile(path.toFile(), "rw");
        OutputStream out =
                new BufferedOutputStream(Channels.newOutputStream(file.getChannel()), 1 << 20);
        this.car = new CarWriter(out, List.of(placeholderRoot()));
        this.out = out;
    }

    /**
     * Appends one block; slots must increase.
     *
     * @param blockhash base58, 32 bytes
     * @param blockTime unix seconds, or null (stored as 0, which readers take as unknown)
     * @param blockHeight or null
     * @param rewardsFrame {@link MetaEncoder#encodeRewards}, empty for none
     */
    public void add(
            long slot,
            long parentSlot,
            String blockhash,
            Long blockTime,
            Long blockHeight,
            List<Tx> txs,
            byte[] rewardsFrame)
            throws IOException {
        if (slot <= lastSlot) {
            throw new LakesException(
                    "blocks must be added in increasing slot order: slot "
                            + slot
                            + " after slot "
                            + lastSlot);
        }
        byte[] hash = Base58.decode(blockhash);
        if (hash.length != 32) {
            throw new LakesException(
                    "slot " + slot + ": blockhash " + blockhash + " is not 32 bytes");
        }
        lastSlot = slot;
        List<Object> txLinks = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            Tx tx = txs.get(i);
            txLinks.add(
                    put(
                            Arrays.asList(
                                    (long) FaithfulNodes.TRANSACTION,
                                    frame(tx.wire()),
                                    frame(tx.metaFrame()),
                                    slot,
                                    (long) i)));
        }
        Cid entry = put(Arrays.asList((long) FaithfulNodes.ENTRY, 0L, hash, txLinks));
        Cid rewards =
                rewardsFrame.length == 0
                        ? NO_REWARDS
                        : put(
                                Arrays.asList(
                                        (long) FaithfulNodes.REWARDS, slot, frame(rewardsFrame)));
        List<Object> meta =
                Arrays.asList(parentSlot, blockTime == null ? 0L : blockTime, blockHeight);
        Cid block =
                put(
                        Arrays.asList(
                                (long) FaithfulNodes.BLOCK,
                                slot,
                                List.of(List.of(0L, -1L)),
                                List.of(entry),
                                meta,
                                rewards));
        blocks.add(block);
        slots.add(slot);
        transactions += txs.size();
    }

    public long transactions() {
        return transactions;
    }

    public int blocks() {
        return blocks.size();
    }

    /** Writes the Subset and Epoch nodes and the real header; returns the root (Epoch) CID. */
    public Cid finish() throws IOException {
        if (blocks.isEmpty()) {
            throw new LakesException("no blocks were written to " + path);
        }
        List<Object> subsets = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i += BLOCKS_PER_SUBSET) {
            int end = Math.min(blocks.size(), i + BLOCKS_PER_SUBSET);
            subsets.add(
                    put(
                            Arrays.asList(
                                    (long) FaithfulNodes.SUBSET,
                                    slots.get(i),
                                    slots.get(end - 1),
                                    new ArrayList<Object>(blocks.subList(i, end)))));
        }
        Cid root =
                put(
                        Arrays.asList(
                                (long) FaithfulNodes.EPOCH,
                                slots.get(0) / SLOTS_PER_EPOCH,
                                subsets));
        out.flush();
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        new CarWriter(header, List.of(root));
        file.seek(0);
        file.write(header.toByteArray());
        return root;
    }

    @Override
    public void close() throws IOException {
        try {
            out.flush();
        } finally {
            file.close();
        }
    }

    private Cid put(List<Object> node) throws IOException {
        Block b = Block.of(Multicodec.DAG_CBOR, DagCbor.encode(node));
        car.write(b);
        return b.cid();
    }

    private static List<Object> frame(byte[] data) {
        return Arrays.asList((long) FaithfulNodes.DATA_FRAME, null, null, null, data);
    }

    private static Cid placeholderRoot() {
        return Block.of(Multicodec.DAG_CBOR, DagCbor.encode(List.of())).cid();
    }
}
