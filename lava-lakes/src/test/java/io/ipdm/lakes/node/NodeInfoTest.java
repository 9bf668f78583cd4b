package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** node.json: the one writer and reader of what a running node tells local tools. */
class NodeInfoTest {
    @Test
    void writtenInfoReadsBackAndIsTheJsonToolsParse(@TempDir Path lake) throws Exception {
        NodeInfo info =
                new NodeInfo(
                        42,
                        "12D3KooWabc",
                        "http://127.0.0.1:5001",
                        "http://127.0.0.1:8080",
                        List.of(
                                "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWabc",
                                "/ip4/10.0.0.1/tcp/4001"));
        info.write(lake);
        assertThat(NodeInfo.read(lake)).isEqualTo(info);
        assertThat(
                        new com.fasterxml.jackson.databind.ObjectMapper()
                                .readTree(Files.readString(NodeInfo.file(lake)))
                                .path("admin")
                                .asText())
                .isEqualTo("http://127.0.0.1:5001");

        NodeInfo noGateway =
                new NodeInfo(7, "12D3KooWx\"y", "http://127.0.0.1:9/", null, List.of());
        noGateway.write(lake);
        NodeInfo back = NodeInfo.read(lake);
        assertThat(back.gateway()).isNull();
        assertThat(back.admin()).isEqualTo("http://127.0.0.1:9");
        assertThat(back.peerId()).isEqualTo("12D3KooWx\"y");
        assertThat(back.addresses()).isEmpty();
    }

    @Test
    void aMissingFileAndOneWithoutAnAdminAddressAreTold(@TempDir Path lake) throws IOException {
        assertThatThrownBy(() -> NodeInfo.read(lake)).isInstanceOf(NoSuchFileException.class);
        Files.writeString(NodeInfo.file(lake), "{\"pid\":1}");
        assertThatThrownBy(() -> NodeInfo.read(lake))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("names no admin address");
    }
}
