package io.ipdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.connectors.lakes.faithful.ArchiveGenerator;
import io.ipdm.connectors.lakes.faithful.ArchiveGenerator.Planned;
import io.ipdm.connectors.lakes.faithful.FaithfulNodes;
import io.ipdm.connectors.lakes.faithful.GetBlockArchive;
import io.ipdm.jobs.testutils.ArchiveHttpServer;
import io.ipdm.jobs.testutils.JobComparison;
import io.ipdm.jobs.testutils.RealBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/backfill-then-live.yaml over a generated chain of consecutive slots (the four small real
 * devnet blocks as templates, about 1 slot in 20 skipped): the first 60% of its blocks in an Old
 * Faithful archive, the rest served by a local JSON-RPC server. The windows equal one getBlock
 * replay of every block, the live source asks for every slot after the archive's last exactly once
 * and for none before, and the watermark (10 s out-of-orderness) carries across the hand-off.
 */
class JobsHandOffITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void archiveThenLiveEqualsOneReplay(@TempDir Path tmp) throws Exception {
        Path d = RealBlocks.dir().resolve("photon-getblock-base64");
        List<Path> files =
                List.of(
                        d.resolve("block_270893658.json"),
                        d.resolve("block_314167369.json"),
                        d.resolve("block_380876342.json"),
                        d.resolve("block_443787702.json"));
        List<GetBlockArchive.ArchiveBlock> templates = ArchiveGenerator.templates(files);
        List<JsonNode> templateJson = new ArrayList<>();
        for (Path f : files) {
            templateJson.add(JSON.readTree(f.toFile()));
        }
        List<Planned> chain = ArchiveGenerator.plan(templates, 7, 300_000_000L, 12_000);
        assertThat(chain.size()).isGreaterThan(200);
        int cut = chain.size() * 6 / 10;
        Path car = tmp.resolve("backfill.car");
        ArchiveGenerator.write(templates, chain.subList(0, cut), car);
        long archiveLast = chain.get(cut - 1).slot();
        long end = chain.get(chain.size() - 1).slot();

        Path all = Files.createDirectories(tmp.resolve("all-blocks"));
        try (ArchiveHttpServer rpc = new ArchiveHttpServer()) {
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
                    rpc.block(p.slot(), bytes);
                }
            }
            String src = "sources.txs";
            List<String> replay =
                    JobComparison.windows(
                            Path.of("backfill-then-live.yaml"),
                            "txs",
                            tmp.resolve("replay"),
                            List.of(
                                    src + ".kind=solana-replay",
                                    src + ".options=",
                                    src + ".options.path=" + all));
            List<String> handOff =
                    JobComparison.windows(
                            Path.of("backfill-then-live.yaml"),
                            "txs",
                            tmp.resolve("hand-off"),
                            List.of(
                                    src + ".options=",
                                    src + ".options.path=" + car,
                                    src + ".options.split_blocks=40",
                                    src + ".options.then_live=" + rpc.rpcUrl(),
                                    src + ".options.live_end_slot=" + end,
                                    src + ".options.live_commitment=confirmed",
                                    src + ".options.live_poll_interval=50ms"));
            assertThat(replay).hasSizeGreaterThan(20);
            assertThat(handOff).isEqualTo(replay);

            Set<Long> expected = new TreeSet<>();
            for (long s = archiveLast + 1; s <= end; s++) {
                expected.add(s);
            }
            assertThat(new TreeSet<>(rpc.requestedSlots))
                    .as("live asks for every slot after the archive's last, and none before")
                    .isEqualTo(expected);
            assertThat(rpc.blockRequests.get()).as("each slot once").isEqualTo(expected.size());
        }
    }
}
