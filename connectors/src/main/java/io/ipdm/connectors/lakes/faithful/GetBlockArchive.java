package io.ipdm.connectors.lakes.faithful;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * getBlock responses ({@code base64} or {@code base58} transactions, full details, with rewards) as
 * Old Faithful blocks: the converter behind {@code ipdm solana to-car}. Every response is first
 * decoded by {@link GetBlockDecoder}, so what the archive holds is what that decoder accepts.
 */
public final class GetBlockArchive {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One block ready for {@link FaithfulCarWriter#add}. */
    public record ArchiveBlock(
            long slot,
            long parentSlot,
            String blockhash,
            Long blockTime,
            Long blockHeight,
            List<FaithfulCarWriter.Tx> txs,
            byte[] rewardsFrame) {
        public void writeTo(FaithfulCarWriter w) throws IOException {
            w.add(slot, parentSlot, blockhash, blockTime, blockHeight, txs, rewardsFrame);
        }
    }

    /** What a conversion wrote. */
    public record Summary(Cid root, int blocks, long transactions, long firstSlot, long lastSlot) {}

    private GetBlockArchive() {}

    /** Reads one getBlock file (bare result or JSON-RPC envelope). */
    public static ArchiveBlock read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new SolanaDecodeException(file + ": not readable JSON: " + e.getMessage(), e);
        }
        return of(
                root,
                file.toString(),
                GetBlockDecoder.slotFromFileName(file.getFileName().toString()));
    }

    /** One getBlock response as an archive block; {@code slotHint} as for the decoder. */
    public static ArchiveBlock of(JsonNode root, String source, Long slotHint) {
        SolanaBlock decoded = GetBlockDecoder.decode(root, source, slotHint);
        if (!decoded.isBlock() || decoded.transactions() == null) {
            throw new SolanaDecodeException(
                    source + ": not a getBlock response with full transaction details");
        }
        JsonNode result = root.has("result") && !root.has("blockhash") ? root.get("result") : root;
        List<FaithfulCarWriter.Tx> txs = new ArrayList<>();
        JsonNode items = result.get("transactions");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            JsonNode tx = item.get("transaction");
            if (!tx.isArray()) {
                throw new SolanaDecodeException(
                        source
                                + ": slot "
                                + decoded.slot()
                                + ", transaction "
                                + i
                                + ": the transaction is JSON-encoded; an archive needs the wire"
                                + " bytes, so fetch the block with encoding base64 or base58");
            }
            String data = tx.get(0).asText();
            byte[] wire =
                    "base58".equals(tx.get(1).asText())
                            ? Base58.decode(data)
                            : Base64.getDecoder().decode(data);
            txs.add(new FaithfulCarWriter.Tx(wire, MetaEncoder.encode(item.get("meta"))));
        }
        return new ArchiveBlock(
                decoded.slot(),
                decoded.parentSlot(),
                decoded.blockhash(),
                decoded.blockTime(),
                decoded.blockHeight(),
                txs,
                MetaEncoder.encodeRewards(result.get("rewards")));
    }

    /** Reads getBlock files (each as {@link #read}), in the order given. */
    public static List<ArchiveBlock> readAll(List<Path> files) {
        List<ArchiveBlock> out = new ArrayList<>(files.size());
        for (Path f : files) {
            out.add(read(f));
        }
        return out;
    }

    /** Converts getBlock files into one archive at {@code out}, in slot order. */
    public static Summary convert(List<Path> files, Path out) throws IOException {
        return convertBlocks(readAll(files), out);
    }

    /** Writes read getBlock responses as one archive at {@code out}, in slot order. */
    public static Summary convertBlocks(List<ArchiveBlock> read, Path out) throws IOException {
        List<ArchiveBlock> blocks = new ArrayList<>(read);
        blocks.sort(Comparator.comparingLong(ArchiveBlock::slot));
        for (int i = 1; i < blocks.size(); i++) {
            if (blocks.get(i).slot() == blocks.get(i - 1).slot()) {
                throw new SolanaDecodeException(
                        "two getBlock responses for slot " + blocks.get(i).slot());
            }
        }
        return write(blocks, out);
    }

    /**
     * Writes {@code blocks} (increasing slots) as one archive at {@code out}: the one writer setup
     * of {@code to-car} and {@code gen-car}.
     */
    public static Summary write(List<ArchiveBlock> blocks, Path out) throws IOException {
        if (blocks.isEmpty()) {
            throw new SolanaDecodeException("no blocks to write to " + out);
        }
        try (FaithfulCarWriter w = new FaithfulCarWriter(out)) {
            for (ArchiveBlock b : blocks) {
                b.writeTo(w);
            }
            Cid root = w.finish();
            return new Summary(
                    root,
                    w.blocks(),
                    w.transactions(),
                    blocks.get(0).slot(),
                    blocks.get(blocks.size() - 1).slot());
        }
    }
}
