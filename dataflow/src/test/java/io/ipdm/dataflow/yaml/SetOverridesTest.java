package io.ipdm.dataflow.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.yaml.YNode.YMap;
import io.ipdm.dataflow.yaml.YNode.YScalar;
import org.junit.jupiter.api.Test;

class SetOverridesTest {
    private static final String JOB =
            """
            sources:
              - id: txs
                kind: old-faithful
                options: {path: a.car, then_live: "https://rpc.example", split_blocks: 500}
            """;

    private static YMap options(YNode root) {
        return (YMap) SetOverrides.lookup(root, "sources.txs.options");
    }

    @Test
    void anEmptyValueRemovesTheKeySoTheOptionFallsBackToItsDefault() {
        YNode root =
                SetOverrides.apply(
                        YamlReader.read(JOB, "job.yaml"), "sources.txs.options.then_live=");
        assertThat(options(root).entries().keySet()).containsExactly("path", "split_blocks");
        // the others are untouched; a value still replaces
        root = SetOverrides.apply(root, "sources.txs.options.split_blocks=7");
        assertThat(((YScalar) options(root).get("split_blocks")).value()).isEqualTo(7L);
        // a key that is not there stays absent
        root = SetOverrides.apply(root, "sources.txs.options.index=");
        assertThat(options(root).entries().keySet()).containsExactly("path", "split_blocks");
        // a whole map, then a key set again inside it
        root = SetOverrides.apply(root, "sources.txs.options=");
        assertThat(options(root)).isNull();
        root = SetOverrides.apply(root, "sources.txs.options.path=b.car");
        assertThat(options(root).entries().keySet()).containsExactly("path");
    }
}
