package io.ipdm.connectors.lakes;

import io.ipdm.connectors.lakes.faithful.FaithfulBlockDecoder;
import io.ipdm.connectors.lakes.faithful.FaithfulNeeds;
import io.ipdm.connectors.lakes.faithful.FaithfulNodes;
import io.ipdm.connectors.lakes.faithful.PendingNodes;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.types.Row;

/**
 * Reads an Old Faithful epoch CAR (Solana history as stored on Filecoin) into the rows the getBlock
 * source produces ({@link FaithfulBlockDecoder} decodes each Block node). Old Faithful writes a
 * block's entries, transactions and rewards before the block, so only one block's nodes are held at
 * a time. The previous blockhash of a block whose parent is not in the same CAR is the all-zero
 * hash.
 */
public final class OldFaithfulCar {
    private OldFaithfulCar() {}

    /** All rows of {@code table} in the CAR, block by block in file order. */
    public static List<Row> rows(InputStream car, String source, SolanaTable table)
            throws IOException {
        List<Row> out = new ArrayList<>();
        blocks(car, source, b -> out.addAll(SolanaRows.rows(b, table)));
        return out;
    }

    /** Every block of the CAR, decoded, in file order. */
    public static void blocks(InputStream car, String source, Consumer<SolanaBlock> sink)
            throws IOException {
        PendingNodes pending = new PendingNodes();
        Map<Long, String> blockhashes = new HashMap<>();
        FaithfulBlockDecoder decoder = new FaithfulBlockDecoder(source, FaithfulNeeds.ALL);
        try (CarReader r = CarReader.open(car)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                byte[] data = s.block().data();
                FaithfulBlockDecoder.Node node =
                        new FaithfulBlockDecoder.Node(
                                data, 0, data.length, s.offset(), s.block().cid());
                int kind = node.kind();
                if (kind < 0 || kind > FaithfulNodes.DATA_FRAME) {
                    throw new LakesException(
                            source
                                    + ": at offset "
                                    + s.offset()
                                    + ": block "
                                    + s.block().cid()
                                    + (kind < 0
                                            ? " is not an Old Faithful node"
                                            : " has unknown node kind " + kind));
                }
                if (kind == FaithfulNodes.BLOCK) {
                    SolanaBlock block =
                            decoder.decode(
                                    node,
                                    pending,
                                    p -> blockhashes.getOrDefault(p, FaithfulNodes.ZERO_HASH));
                    blockhashes.put(block.slot(), block.blockhash());
                    sink.accept(block);
                    pending.clear();
                } else if (kind != FaithfulNodes.SUBSET && kind != FaithfulNodes.EPOCH) {
                    pending.put(node);
                }
            }
        }
    }
}
