package io.ipdm.dataflow.compile;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file sink's directory that cannot be created is refused when the pipeline is checked. */
class SinkPathCheckTest {
    static String pipeline(String kind, Path out) {
        return """
                name: sink-path
                sources:
                  - {id: txs, kind: solana-synthetic, table: transactions, options: {slots: 5}}
                sinks:
                  - {id: out, kind: %s, input: txs, options: {path: "%s"}}
                runtime: {checkpoint_interval: 1s}
                """
                .formatted(kind, out);
    }

    static void check(String yaml, Path base) {
        PipelineCompiler.check(PipelineLoader.parse(yaml, "p.yaml", List.of(), Map.of()), base);
    }

    @Test
    void aPathUnderAFileIsRefusedNamingTheSinkAndTheFile(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
        Path out = file.resolve("out/jsonl");
        for (String kind : List.of("jsonl", "parquet")) {
            assertThatThrownBy(() -> check(pipeline(kind, out), tmp))
                    .isInstanceOf(PipelineException.class)
                    .hasMessage(
                            "p.yaml:5:"
                                    + (52 + kind.length())
                                    + ": sinks.out.options.path: cannot create "
                                    + out
                                    + ": "
                                    + file
                                    + " is a file; choose a path under a directory");
        }
    }

    @Test
    void aNewDirectoryUnderAWritableOneIsFine(@TempDir Path tmp) {
        assertThatCode(() -> check(pipeline("jsonl", tmp.resolve("a/b/c")), tmp))
                .doesNotThrowAnyException();
    }
}
