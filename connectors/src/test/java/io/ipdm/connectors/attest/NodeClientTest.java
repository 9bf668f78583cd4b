package io.ipdm.connectors.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.node.IpfsNetwork;
import io.ipdm.lakes.node.LakeNode;
import io.ipdm.lakes.node.NodeConfig;
import io.ipdm.lakes.node.NodeRole;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NodeClient} against a running node's attestation endpoints, which answer as every admin
 * handler does ({@code AdminHttp}: JSON, errors as {@code {"error": ...}}): the node's reason
 * reaches the caller's message as words, not as JSON.
 */
class NodeClientTest {
    private static final Cid ROOT =
            Cid.parse("bafybeiaysi4s6lnjev27ln5icwm6tueaw2vdykrtjkwiphwekaywqhcjze");

    @Test
    void theNodesReasonsReachTheCallerAsWords(@TempDir Path dir) throws Exception {
        try (LakeNode node =
                LakeNode.start(
                        NodeConfig.builder(EnumSet.of(NodeRole.GATEWAY), dir.resolve("lake"))
                                .build(),
                        IpfsNetwork::install)) {
            NodeClient client =
                    new NodeClient(URI.create(node.adminUri()), null, Duration.ofSeconds(30));

            assertThatThrownBy(() -> client.putCar(new byte[] {1, 2, 3}))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith(
                            "node " + node.adminUri() + " refused the blocks: 400 bad CAR: ")
                    .hasMessageNotContaining("\"error\"");

            SignedRecord notAnAttestation =
                    SignedRecord.sign(
                            Ed25519KeyPair.generate(),
                            "not/an/attestation".getBytes(StandardCharsets.UTF_8),
                            new byte[] {1},
                            1);
            assertThatThrownBy(() -> client.attest(notAnAttestation))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith(
                            "node " + node.adminUri() + " refused " + notAnAttestation + ": ")
                    .hasMessageEndingWith("; refused")
                    .hasMessageNotContaining("\"error\"");

            assertThat(client.attestations(ROOT)).isEmpty();
            assertThat(client.status(ROOT)).contains("\"state\":\"pending\"");
            assertThat(client.verdict(ROOT)).isEqualTo("pending");
        }
    }

    @Test
    void reasonIsTheErrorOfJsonElseTheBody() {
        assertThat(NodeClient.reason("{\"error\":\"bad CAR: truncated\"}\n"))
                .isEqualTo("bad CAR: truncated");
        assertThat(NodeClient.reason("{\"accepted\":false}")).isEqualTo("{\"accepted\":false}");
        assertThat(NodeClient.reason("{not json")).isEqualTo("{not json");
        assertThat(NodeClient.reason(" plain words\n")).isEqualTo("plain words");
    }
}
