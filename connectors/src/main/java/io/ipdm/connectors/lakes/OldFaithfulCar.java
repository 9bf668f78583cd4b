package io.ipdm.connectors.lakes;

import io.ipdm.connectors.lakes.faithful.FaithfulNodes;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.multiformats.Cid;
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
 * source produces ({@link FaithfulNodes} decodes each Block node). Old Faithful writes a block's
 * entries, transactions and rewards before the block, so only one block's nodes are held at a time.
 * The previous blockhash of a block whose parent is not in the same CAR is the all-zero hash.
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
        Map<Cid, List<?>> pending = new HashMap<>();
        Map<Long, String> blockhashes = new HashMap<>();
        try (CarReader r = CarReader.open(car)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                List<?> node =
                        FaithfulNodes.decode(
                                s.block().cid(),
                                s.block().data(),
                                source + " at offset " + s.offset());
                if (FaithfulNodes.kind(node) == FaithfulNodes.BLOCK) {
                    SolanaBlock block =
                            FaithfulNodes.decodeBlock(
                                    node,
                                    pending::get,
                                    blockhashes.getOrDefault(
                                            FaithfulNodes.parentSlot(node),
                                            FaithfulNodes.ZERO_HASH),
                                    source);
                    blockhashes.put(block.slot(), block.blockhash());
                    sink.accept(block);
                    pending.clear();
                } else {
                    pending.put(s.block().cid(), node);
                }
            }
        }
    }
}
