package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarWriter;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.wasm.ModuleCid;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobIdentityTest {
    static final Path MODULES = Path.of("..").toAbsolutePath().normalize();
    static final String MODULE = "wasm-udf/corpus/c/classify.wasm";

    static final String JOB =
            """
            name: dex
            description: one
            event_time: {field: block_time, unit: seconds}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 42, duration: 2m}
            stages:
              - id: per_minute
                kind: window
                input: txs
                key_by: [fee_payer]
                window: {type: tumbling, size: 1m}
                aggregates:
                  - {name: txs, fn: count}
            sinks:
              - id: out
                kind: terminal
                input: per_minute
            modules:
              - id: classify
                path: %s
            runtime: {parallelism: 2}
            """
                    .formatted(MODULE);

    static JobIdentity id(String yaml, List<String> sets) {
        return JobIdentity.of(
                PipelineLoader.parse(yaml, "job.yaml", sets, Map.of()), MODULES, MODULES);
    }

    @Test
    void formattingDescriptionRuntimeAndSinkTargetsDoNotChangeTheCid() throws Exception {
        JobIdentity a = id(JOB, List.of());
        String reformatted =
                """
                # the same job, written differently
                description: another description
                name: "dex"
                runtime:
                  parallelism: 4
                  state_dir: /elsewhere
                event_time:
                  unit: seconds
                  field: block_time
                sources:
                  - kind: solana-synthetic
                    id: txs
                    options:
                      duration: 2m
                      seed: 42
                    table: transactions
                stages:
                  - {id: per_minute, kind: window, input: txs, key_by: [fee_payer], window: {size: 1m, type: tumbling}, aggregates: [{fn: count, name: txs}]}
                sinks:
                  - {id: out, kind: jsonl, input: per_minute, options: {path: /tmp/x}}
                modules:
                  - id: classify
                    cid: %s
                """
                        .formatted(ModuleCid.of(Files.readAllBytes(MODULES.resolve(MODULE))));
        assertThat(id(reformatted, List.of()).cid()).isEqualTo(a.cid());
        assertThat(a.notReproducible()).isEmpty();
        assertThat(a.modules())
                .extracting(b -> b.cid().toString())
                .containsExactly(
                        ModuleCid.of(Files.readAllBytes(MODULES.resolve(MODULE))).toString());
    }

    @Test
    void whatChangesRowsChangesTheCid() {
        JobIdentity a = id(JOB, List.of());
        assertThat(id(JOB, List.of("sources.txs.options.seed=43")).cid()).isNotEqualTo(a.cid());
        assertThat(id(JOB, List.of("stages.per_minute.window.size=2m")).cid())
                .isNotEqualTo(a.cid());
        assertThat(id(JOB, List.of("sinks.out.input=txs")).cid()).isNotEqualTo(a.cid());
    }

    /**
     * A CAR archive is named by its roots and size (no pass over its bytes): a copy elsewhere has
     * the same name, another root or another size another one; a file that is not a CAR is still
     * named by its bytes.
     */
    @Test
    void carArchivesAreNamedByTheirRootsAndSize(@TempDir Path dir) throws Exception {
        Block a = Block.of(Multicodec.RAW, "a".getBytes(StandardCharsets.UTF_8));
        Block b = Block.of(Multicodec.RAW, "b".getBytes(StandardCharsets.UTF_8));
        Path car = car(dir.resolve("epoch.car"), a.cid(), a, b);
        Cid id = JobIdentity.contentId(car);
        Map<String, Object> expected = new TreeMap<>();
        expected.put("car_roots", List.of(a.cid()));
        expected.put("size", Files.size(car));
        assertThat(id).isEqualTo(Cid.sha256(Multicodec.DAG_CBOR, DagCbor.encode(expected)));
        Files.createDirectories(dir.resolve("mirror"));
        assertThat(JobIdentity.contentId(car(dir.resolve("mirror/epoch.car"), a.cid(), a, b)))
                .isEqualTo(id);
        assertThat(JobIdentity.contentId(car(dir.resolve("other-root.car"), b.cid(), a, b)))
                .isNotEqualTo(id);
        assertThat(JobIdentity.contentId(car(dir.resolve("shorter.car"), a.cid(), a)))
                .isNotEqualTo(id);
        Path notCar = dir.resolve("blocks.json");
        Files.writeString(notCar, "{\"slot\": 1}");
        assertThat(JobIdentity.contentId(notCar).codec()).isEqualTo((long) Multicodec.RAW.code());
    }

    private static Path car(Path file, Cid root, Block... blocks) throws Exception {
        try (var out = Files.newOutputStream(file)) {
            CarWriter w = new CarWriter(out, List.of(root));
            for (Block b : blocks) {
                w.write(b);
            }
        }
        return file;
    }

    @Test
    void inputFilesAreNamedByContent(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("blocks.json"), "{}");
        String yaml =
                JOB.replace(
                        "kind: solana-synthetic\n    table: transactions\n    options: {seed: 42, duration: 2m}",
                        "kind: solana-replay\n    table: transactions\n    options: {path: "
                                + dir.resolve("blocks.json")
                                + "}");
        JobIdentity a = id(yaml, List.of());
        Path other = dir.resolve("copy");
        Files.createDirectories(other);
        Files.writeString(other.resolve("blocks.json"), "{}");
        JobIdentity moved =
                id(
                        yaml.replace(
                                dir.resolve("blocks.json").toString(),
                                other.resolve("blocks.json").toString()),
                        List.of());
        assertThat(moved.cid()).isEqualTo(a.cid());
        Files.writeString(other.resolve("blocks.json"), "{ }");
        assertThat(
                        id(
                                        yaml.replace(
                                                dir.resolve("blocks.json").toString(),
                                                other.resolve("blocks.json").toString()),
                                        List.of())
                                .cid())
                .isNotEqualTo(a.cid());
        assertThat(a.notReproducible())
                .singleElement()
                .asString()
                .contains("source txs reads local files (path)");
    }

    @Test
    void theDefinitionLoadsBackAsAPipelineWithTerminalSinks() {
        JobIdentity a = id(JOB, List.of());
        Block def = a.definition();
        assertThat(def.cid()).isEqualTo(a.cid());
        String json = JobIdentity.pipelineJson(def);
        PipelineLoader.Loaded back =
                PipelineLoader.parse(json, "job " + a.cid(), List.of(), Map.of());
        assertThat(back.spec().sinks())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.kind()).isEqualTo("terminal");
                            assertThat(s.input()).isEqualTo("per_minute");
                        });
        assertThat(back.spec().modules().get(0).cid())
                .isEqualTo(a.modules().get(0).cid().toString());
        // the re-loaded job is the same job
        assertThat(JobIdentity.of(back, MODULES, MODULES).cid()).isEqualTo(a.cid());
    }

    @Test
    void liveSourcesAreNotReproducibleAndTheirMeshKeyIsNotPartOfTheJob(@TempDir Path dir)
            throws Exception {
        Path key = dir.resolve("node.key");
        Files.write(key, new byte[] {1, 2, 3});
        String yaml =
                """
                name: live
                sources:
                  - id: roots
                    kind: gossipsub
                    options: {topic: t, fields: [root_cid:string]%s}
                sinks:
                  - {id: out, kind: terminal, input: roots}
                """;
        JobIdentity with = id(yaml.formatted(", key_file: " + key), List.of());
        JobIdentity without = id(yaml.formatted(""), List.of());
        assertThat(with.cid()).isEqualTo(without.cid());
        assertThat(with.notReproducible()).containsExactly("source roots is live (gossipsub)");
    }
}
