package io.ipdm.lakes.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.lakes.piece.CommP;
import io.ipdm.lakes.testutils.ForwardingStorage;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
    private final List<Block> live = new ArrayList<>();
    private final List<Block> garbage = new ArrayList<>();
    private Block root;
    private Block pinnedRaw;

    GarbageCollectorTest() {
        Random rnd = new Random(7);
        for (int i = 0; i < 4; i++) {
            live.add(raw(rnd));
            garbage.add(raw(rnd));
        }
        List<Object> links = new ArrayList<>(live.stream().map(Block::cid).toList());
        byte[] r = DagCbor.encode(links);
        root = new Block(Cid.sha256(Multicodec.DAG_CBOR, r), r);
        pinnedRaw = raw(rnd);
    }

    private static Block raw(Random rnd) {
        byte[] d = new byte[1000];
        rnd.nextBytes(d);
        return new Block(Cid.sha256(Multicodec.RAW, d), d);
    }

    private static TieredStore open(Path dir, ArchiveStorage archives) throws IOException {
        return TieredStore.open(dir, 1 << 20, archives, 1 << 20, Clock.systemUTC());
    }

    /**
     * Archive 1 holds live L0, L1 and garbage G0, G1 (to be repacked); archive 2 only garbage G2
     * (to be deleted); warm keeps L2, L3, G3, the root and a pinned raw block.
     */
    private void fill(TieredStore s) throws IOException {
        s.putAll(live);
        s.putAll(garbage);
        s.put(root);
        s.put(pinnedRaw);
        s.pin(root.cid());
        s.pin(pinnedRaw.cid());
        s.demoteToCold(
                List.of(
                        live.get(0).cid(),
                        live.get(1).cid(),
                        garbage.get(0).cid(),
                        garbage.get(1).cid()));
        s.cold().sealActive();
        s.demoteToCold(List.of(garbage.get(2).cid()));
        s.cold().sealActive();
    }

    private void assertLiveServedGarbageGone(TieredStore s) {
        for (Block b : live) {
            assertThat(s.get(b.cid()).data()).isEqualTo(b.data());
        }
        assertThat(s.get(root.cid()).data()).isEqualTo(root.data());
        assertThat(s.get(pinnedRaw.cid()).data()).isEqualTo(pinnedRaw.data());
        for (Block b : garbage) {
            assertThat(s.get(b.cid())).as("garbage %s", b.cid()).isNull();
        }
    }

    @Test
    void deletesWhatNoPinReachesFromEveryTierAndRepacksArchives(@TempDir Path dir)
            throws Exception {
        LocalArchiveStorage archives = new LocalArchiveStorage(dir.resolve("cold"));
        try (TieredStore s = open(dir, archives)) {
            fill(s);
            Cid oldPiece = s.cold().manifests().get(0).pieceCidV1();
            GarbageCollector.Result r = s.collectGarbage();
            assertThat(r.liveBlocks()).isEqualTo(6);
            assertThat(r.warmBlocks()).isEqualTo(1);
            assertThat(r.warmBytes()).isEqualTo(1000);
            assertThat(r.hotBlocks()).isEqualTo(1); // G3: demotion already evicted G0-G2
            assertThat(r.cold().blocks()).isEqualTo(3);
            assertThat(r.cold().deleted()).containsExactly("archive-000002.car");
            assertThat(r.cold().repacked()).hasSize(1);
            ArchiveManifest m = r.cold().repacked().get(0);
            assertThat(m.archive()).isEqualTo("archive-000003.car");
            assertThat(m.blocks()).isEqualTo(2);
            byte[] bytes = Files.readAllBytes(dir.resolve("cold").resolve(m.archive()));
            assertThat(m.pieceCidV1()).isEqualTo(CommP.of(bytes).cidV1()).isNotEqualTo(oldPiece);
            assertThat(archives.list())
                    .containsExactlyInAnyOrder(
                            "archive-000003.car", "archive-000003.car.manifest.json");
            assertThat(s.cold().locate(live.get(0).cid()).archive())
                    .isEqualTo("archive-000003.car");
            assertLiveServedGarbageGone(s);
            assertThat(s.collectGarbage().freedBlocks()).isZero();
            s.unpin(root.cid());
            GarbageCollector.Result second = s.collectGarbage();
            assertThat(second.liveBlocks()).isEqualTo(1);
            // root and L0-L3 in warm (reading L0, L1 promoted copies there), L0 and L1 in cold
            assertThat(second.warmBlocks()).isEqualTo(5);
            assertThat(second.cold().blocks()).isEqualTo(2);
            assertThat(second.cold().deleted()).containsExactly("archive-000003.car");
            assertThat(s.get(live.get(0).cid())).isNull();
            assertThat(s.get(pinnedRaw.cid())).isNotNull();
        }
    }

    /** Fails once at the chosen step, as a crash there would. */
    private static final class CrashingStorage extends ForwardingStorage {
        private final String failOn;
        private boolean failed;

        CrashingStorage(ArchiveStorage inner, String failOn) {
            super(inner);
            this.failOn = failOn;
        }

        private void maybeFail(String op) throws IOException {
            if (!failed && op.equals(failOn)) {
                failed = true;
                throw new IOException("simulated crash at " + op);
            }
        }

        @Override
        public void delete(String name) throws IOException {
            maybeFail("delete " + name);
            super.delete(name);
        }

        @Override
        public void rename(String from, String to) throws IOException {
            maybeFail("rename " + to);
            super.rename(from, to);
        }
    }

    @Test
    void aCrashAtAnyStepOfARepackLosesNoLiveBlock(@TempDir Path base) throws Exception {
        for (String step :
                List.of(
                        "rename archive-000003.car.manifest.json", // new archive not sealed
                        "delete archive-000001.car", // index moved, old archive kept
                        "delete archive-000001.car.manifest.json")) { // archive gone, manifest kept
            Path dir = base.resolve(step.replace(' ', '_'));
            ArchiveStorage local = new LocalArchiveStorage(dir.resolve("cold"));
            TieredStore s = open(dir, new CrashingStorage(local, step));
            fill(s);
            assertThatThrownBy(s::collectGarbage).hasMessage("simulated crash at " + step);
            s.warm().close();
            s.cold().closeWithoutSealing();
            try (TieredStore again = open(dir, new LocalArchiveStorage(dir.resolve("cold")))) {
                for (Block b : live) {
                    assertThat(again.get(b.cid()).data()).as(step).isEqualTo(b.data());
                }
                again.collectGarbage();
                assertLiveServedGarbageGone(again);
                List<String> names = again.cold().storage().list();
                assertThat(names).as(step).doesNotContain("archive-000001.car");
                assertThat(names.stream().filter(n -> n.endsWith(".car")))
                        .as(step)
                        .allSatisfy(n -> assertThat(names).contains(n + ".manifest.json"));
                for (ArchiveManifest m : again.cold().manifests()) {
                    try (InputStream in = again.cold().storage().openSequential(m.archive())) {
                        assertThat(CommP.of(in.readAllBytes()).cidV1()).isEqualTo(m.pieceCidV1());
                    }
                }
            }
        }
    }
}
