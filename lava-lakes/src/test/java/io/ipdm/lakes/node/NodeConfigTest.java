package io.ipdm.lakes.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.multiaddr.Multiaddr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
    private static final Path LAKE = Path.of("lake");

    @Test
    void builderDefaultsAreALoopbackNodeOnFreePorts() {
        NodeConfig c = NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), LAKE).build();
        assertThat(c.listen()).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        assertThat(c.gatewayHost()).isEqualTo("127.0.0.1");
        assertThat(c.gatewayPort()).isZero();
        assertThat(c.adminPort()).isZero();
        assertThat(c.provide()).isEqualTo(NodeConfig.Provide.ROOTS);
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.trust().size()).isZero();
        assertThat(c.domains()).isEmpty();
        assertThat(c.durability()).isEqualTo(NodeDurability.defaults());
    }

    @Test
    void toBuilderCopiesEveryField() {
        NodeConfig c =
                NodeConfig.builder(EnumSet.of(NodeRole.GATEWAY, NodeRole.STORAGE), LAKE)
                        .gateway("0.0.0.0", 8081)
                        .adminPort(9000)
                        .provide(NodeConfig.Provide.ALL)
                        .readTimeout(Duration.ofSeconds(3))
                        .topics(List.of("t"))
                        .domains(List.of("eu"))
                        .durability(
                                new NodeDurability(
                                        Duration.ofSeconds(1),
                                        Duration.ofSeconds(2),
                                        Duration.ZERO,
                                        "eu"))
                        .build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.toBuilder().adminPort(1).build().adminPort()).isEqualTo(1);
    }

    @Test
    void buildChecksLikeTheRecord() {
        assertThatThrownBy(
                        () ->
                                NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), LAKE)
                                        .bootstrap(List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/1")))
                                        .build())
                .hasMessageContaining("needs a /p2p/<peer id> part");
        assertThatThrownBy(
                        () ->
                                NodeConfig.builder(EnumSet.of(NodeRole.STORAGE), LAKE)
                                        .readTimeout(Duration.ZERO)
                                        .build())
                .hasMessage("read-timeout must be positive, got PT0S");
    }
}
