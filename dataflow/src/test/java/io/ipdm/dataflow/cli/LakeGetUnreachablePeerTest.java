package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lake get --network} with a peer nothing listens for says the peer could not be reached and
 * why, not only that "none of the 1 peers asked sent it" (which read as if the peer lacked the
 * block).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LakeGetUnreachablePeerTest extends CommandLineTest {
    @Test
    void aPeerThatRefusesTheConnectionIsNamedWithTheReason(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there now
        }
        PeerId peer = Ed25519KeyPair.generate().peerId();
        String addr = "/ip4/127.0.0.1/tcp/" + port + "/p2p/" + peer;
        String missing = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
        int code =
                run(
                        "lake",
                        "--dir",
                        dir.resolve("lake").toString(),
                        "get",
                        missing,
                        "--network",
                        addr,
                        "--read-timeout",
                        "2s");
        assertThat(code).isNotZero();
        assertThat(err.toString())
                .contains(
                        "ipdm lake: block "
                                + missing
                                + " is not in this lake and none of the 1 peers asked sent it",
                        "; could not connect to 1 of them: "
                                + peer
                                + " (/ip4/127.0.0.1/tcp/"
                                + port
                                + ": ",
                        "Connection refused",
                        "check that each is running and reachable");
    }
}
