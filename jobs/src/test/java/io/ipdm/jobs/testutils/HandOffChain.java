package io.ipdm.jobs.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.ArchiveGenerator.Planned;
import io.ipdm.connectors.lakes.faithful.FaithfulNodes;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated chain of consecutive slots for hand-off tests (the four small real devnet blocks as
 * templates, about 1 slot in 20 skipped): its first {@code archivedPercent}% of blocks in an Old
 * Faithful archive, every block as a getBlock file (for one replay of all of them), and the rest
 * served by an {@link ArchiveHttpServer}'s JSON-RPC.
 *
 * @param car the archive
 * @param all a directory with every block's getBlock file
 * @param archiveLast the archive's last slot
 * @param end the chain's last slot
 * @param live the blocks after the archive's last, as getBlock results, in slot order
 */
public record HandOffChain(
        Path car, Path all, long archiveLast, long end, List<Long> liveSlots, List<byte[]> live) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static HandOffChain generate(Path dir, long seed, long transactions, int archivedPercent)
            throws IOException {
        List<Path> files = RealBlocks.devnetBlocks();
        List<GetBlockArchive.ArchiveBlock> templates = ArchiveGenerator.templates(files);
        List<JsonNode> templateJson = new ArrayList<>();
        for (Path f : files) {
            templateJson.add(JSON.readTree(f.toFile()));
        }
        List<Planned> chain = ArchiveGenerator.plan(templates, seed, 300_000_000L, transactions);
        int cut = chain.size() * archivedPercent / 100;
        Path car = dir.resolve("backfill.car");
        ArchiveGenerator.write(templates, chain.subList(0, cut), car);
        Path all = Files.createDirectories(dir.resolve("all-blocks"));
        List<Long> liveSlots = new ArrayList<>();
        List<byte[]> live = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Planned p = chain.get(i);
            ObjectNode b = templateJson.get(p.template()).deepCopy();
            b.put("parentSlot", p.parentSlot());
            b.put("blockhash", p.blockhash());
            b.put(
                    "previousBlockhash",
                    i == 0 ? FaithfulNodes.ZERO_HASH : chain.get(i - 1).blockhash());
            b.put("blockTime", p.blockTime());
            b.put("blockHeight", p.height());
            byte[] bytes = JSON.writeValueAsBytes(b);
            Files.write(all.resolve("block_" + p.slot() + ".json"), bytes);
            if (i >= cut) {
                liveSlots.add(p.slot());
                live.add(bytes);
            }
        }
        return new HandOffChain(
                car,
                all,
                chain.get(cut - 1).slot(),
                chain.get(chain.size() - 1).slot(),
                List.copyOf(liveSlots),
                List.copyOf(live));
    }

    /** Makes {@code rpc} serve the blocks after the archive's. */
    public ArchiveHttpServer serveLive(ArchiveHttpServer rpc) {
        for (int i = 0; i < live.size(); i++) {
            rpc.block(liveSlots.get(i), live.get(i));
        }
        return rpc;
    }
}
