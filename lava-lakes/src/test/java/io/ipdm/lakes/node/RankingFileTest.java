package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.durability.ChallengeOutcome;
import io.ipdm.lakes.durability.PeerRank;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankingFileTest {
    @TempDir Path dir;

    private static PeerId peer(int i) {
        byte[] seed = new byte[32];
        seed[0] = (byte) i;
        return Ed25519KeyPair.fromSeed(seed).peerId();
    }

    @Test
    void theRankingSurvivesARestart() {
        RankingFile f = new RankingFile(dir.resolve(RankingFile.FILE));
        assertThat(f.load().ranks()).isEmpty();
        List<PeerRank> ranks =
                List.of(
                        new PeerRank(
                                peer(1), 4.5, 0, 0.85, 0, false, false, ChallengeOutcome.STORED, 7),
                        new PeerRank(
                                peer(2), 0, 4, 0.17, 3.5, true, true, ChallengeOutcome.WRONG, 9),
                        new PeerRank(peer(3), 0, 0, 0.5, 0.25, false, false, null, 0));
        f.save(ranks, 1234);

        RankingFile.Saved back = new RankingFile(dir.resolve(RankingFile.FILE)).load();
        assertThat(back.savedAtMillis()).isEqualTo(1234);
        assertThat(back.ranks())
                .extracting(PeerRank::peer, PeerRank::isolated, PeerRank::lastOutcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                peer(1), false, ChallengeOutcome.STORED),
                        org.assertj.core.groups.Tuple.tuple(peer(2), true, ChallengeOutcome.WRONG),
                        org.assertj.core.groups.Tuple.tuple(peer(3), false, null));
        assertThat(back.ranks().get(1).offences()).isEqualTo(3.5);
        assertThat(back.ranks().get(0).stored()).isEqualTo(4.5);
    }

    @Test
    void aDamagedFileNamesTheLineAndWhatToDo() throws Exception {
        Path p = dir.resolve(RankingFile.FILE);
        Files.writeString(p, "saved-at 5\n" + peer(1) + " 1 2 3\n");
        assertThatThrownBy(() -> new RankingFile(p).load())
                .hasMessageContaining(RankingFile.FILE + " line 2: expected 8 fields, found 4")
                .hasMessageContaining("delete the file to start without it");
    }
}
