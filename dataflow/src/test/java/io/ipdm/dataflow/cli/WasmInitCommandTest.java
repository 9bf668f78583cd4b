package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ipdm wasm init} and {@code build}: what they write and how they refuse bad input. */
class WasmInitCommandTest extends CommandLineTest {
    private static final String JOB = "../jobs/solana-program-activity.yaml";

    @Test
    void initWritesTheDeclarationAccessorsAndReadme(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("busy");
        assertThat(
                        run(
                                "wasm",
                                "init",
                                "busy",
                                "--lang",
                                "rust",
                                "--for",
                                JOB,
                                "--stage",
                                "non_vote",
                                "--kind",
                                "filter",
                                "--dir",
                                dir.toString()))
                .as(err.toString())
                .isZero();
        String abi = Files.readString(dir.resolve("busy.abi.json"));
        assertThat(abi)
                .startsWith(
                        "{\"abi\": 1, \"functions\": [\n  {\"name\": \"busy\", \"kind\": \"filter\",")
                .contains("{\"name\": \"fee\", \"type\": \"int64\"}")
                .contains("{\"name\": \"program_ids\", \"type\": \"list<utf8>\"}")
                .doesNotContain("\"output\"");
        String schema = Files.readString(dir.resolve("src/schema.rs"));
        assertThat(schema)
                .contains("pub fn fee(&self) -> Option<i64> {")
                .contains("pub fn program_ids(&self) -> Option<ipdm::ListRow> {")
                .contains("pub fn index_(&self) -> Option<i32> {");
        assertThat(Files.readString(dir.resolve("Cargo.toml")))
                .contains("ipdm = { path = \"")
                .contains("wasm-udf/sdk/rust\" }");
        assertThat(out.toString()).contains("created " + dir + " (rust filter over ");
    }

    @Test
    void unknownStreamListsTheKnownOnes(@TempDir Path tmp) {
        assertThat(
                        run(
                                "wasm",
                                "init",
                                "x",
                                "--lang",
                                "c",
                                "--for",
                                JOB,
                                "--stage",
                                "nope",
                                "--dir",
                                tmp.resolve("x").toString()))
                .isEqualTo(2);
        assertThat(err.toString())
                .startsWith(
                        "--stage: ../jobs/solana-program-activity.yaml has no stream 'nope'; its"
                                + " streams: ");
    }

    @Test
    void badNamesLanguagesAndKindsAreBadInput(@TempDir Path tmp) {
        String d = tmp.resolve("x").toString();
        assertThat(
                        run(
                                "wasm",
                                "init",
                                "Bad-Name",
                                "--lang",
                                "c",
                                "--for",
                                JOB,
                                "--stage",
                                "txs",
                                "--dir",
                                d))
                .isEqualTo(2);
        assertThat(err.toString()).contains("module name 'Bad-Name' must be lower case letters");
        assertThat(
                        run(
                                "wasm", "init", "ok", "--lang", "go", "--for", JOB, "--stage",
                                "txs", "--dir", d))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("unknown language 'go'; expected one of rust, assemblyscript, c");
        assertThat(
                        run(
                                "wasm", "init", "ok", "--lang", "c", "--kind", "reduce", "--for",
                                JOB, "--stage", "txs", "--dir", d))
                .isEqualTo(2);
        assertThat(err.toString()).contains("unknown function kind 'reduce'");
    }

    @Test
    void buildOutsideAProjectSaysWhatIsMissing(@TempDir Path tmp) {
        assertThat(run("wasm", "build", tmp.toString())).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        "ipdm wasm build: "
                                + tmp
                                + " is not a module project: expected Cargo.toml (Rust),"
                                + " assembly/index.ts (AssemblyScript) or a .c file (C); create one"
                                + " with ipdm wasm init\n");
    }

    @Test
    void compileErrorsArePrintedWithExitTwo(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("broken");
        assertThat(
                        run(
                                "wasm",
                                "init",
                                "broken",
                                "--lang",
                                "c",
                                "--for",
                                JOB,
                                "--stage",
                                "txs",
                                "--kind",
                                "map",
                                "--dir",
                                dir.toString()))
                .isZero();
        Files.writeString(
                dir.resolve("broken.c"),
                "#include \"schema.h\"\nint32_t broken(const ArrowArray *in) { return nope; }\n");
        assertThat(run("wasm", "build", dir.toString())).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("ipdm wasm build: clang failed (exit 1):\n")
                .contains("broken.c:2:");
    }
}
