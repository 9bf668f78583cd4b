package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./ipdm} launcher script itself, run by bash from a copy of the repository's launcher
 * files whose {@code dataflow/target} holds this test's class path as jars (what a build leaves
 * there), so its class-data archives are written in a temporary directory, never the real one.
 */
class LauncherITCase {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String PLAIN =
            """
            name: plain
            sources:
              - {id: txs, kind: solana-synthetic, table: transactions, options: {duration: 1s}}
            stages:
              - {id: f, kind: filter, input: txs, where: "fee > 0"}
            sinks:
              - {id: out, kind: jsonl, input: f, options: {path: out}}
            """;

    /**
     * Two first runs at once each write the archive to a name of their own and move it into place
     * when complete: both succeed, no temporary file is left, and a later run maps the archive.
     */
    @Test
    void twoFirstRunsAtOnceBothSucceedAndALaterRunUsesTheArchive(@TempDir Path tmp)
            throws Exception {
        Path home = home(tmp.resolve("home"), false);
        Path job = Files.writeString(tmp.resolve("plain.yaml"), PLAIN);
        Path jsa = home.resolve("dataflow/target/ipdm-validate.jsa");
        assertThat(jsa).doesNotExist();

        Process first = start(home, tmp, "first", Map.of(), "validate", job.toString());
        Process second = start(home, tmp, "second", Map.of(), "validate", job.toString());
        assertThat(exit(first)).as(log(tmp, "first")).isZero();
        assertThat(exit(second)).as(log(tmp, "second")).isZero();
        assertThat(jsa).isNotEmptyFile();
        try (Stream<Path> files = Files.list(jsa.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".tmp"));
        }

        Path classes = tmp.resolve("classes.log");
        Process later =
                start(
                        home,
                        tmp,
                        "later",
                        Map.of("IPDM_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
                        "validate",
                        job.toString());
        assertThat(exit(later)).as(log(tmp, "later")).isZero();
        assertThat(Files.readString(classes))
                .as("classes come from the archive written by the first runs")
                .contains("source: shared objects file (top)");
    }

    /**
     * The Graal compiler goes on the module path exactly when a WebAssembly module can run: any
     * command but run/validate/explain, a pipeline read from stdin, or "modules" in the file or an
     * argument. {@code --set} values are scalars, so a module comes in only by a {@code --set
     * modules...} path; a stage's {@code module} set without one is refused by the validator.
     */
    @Test
    void graalFlagsExactlyWhenAModuleCanComeIn(@TempDir Path tmp) throws Exception {
        Path home = home(tmp.resolve("home"), true);
        Path plain = Files.writeString(tmp.resolve("plain.yaml"), PLAIN);
        Path withModules =
                Files.writeString(
                        tmp.resolve("wasm.yaml"), PLAIN + "modules:\n  - {id: m, path: m.wasm}\n");
        String p = plain.toString();
        assertThat(graal(home, tmp, "validate", p)).isFalse();
        assertThat(graal(home, tmp, "explain", p, "--set", "runtime.parallelism=2")).isFalse();
        assertThat(graal(home, tmp, "validate", withModules.toString())).isTrue();
        assertThat(graal(home, tmp, "run", p, "--set", "modules.m.path=m.wasm")).isTrue();
        assertThat(graal(home, tmp, "run", p, "--set=modules.m.cid=bafy")).isTrue();
        assertThat(graal(home, tmp, "run", "-")).isTrue();
        assertThat(graal(home, tmp, "wasm", "test", "m.wasm")).isTrue();
        // a wasm stage naming a module, and no modules: in the file: the validator refuses it
        Path stageOnly =
                Files.writeString(
                        tmp.resolve("stage.yaml"),
                        PLAIN.replace(
                                "kind: filter, input: txs, where: \"fee > 0\"",
                                "kind: wasm, input: txs, module: m, function: keep"));
        String[] stageModule = {"validate", stageOnly.toString(), "--set", "stages.f.module=m2"};
        assertThat(graal(home, tmp, stageModule)).isFalse();
        Process refused = start(home, tmp, "refused", Map.of(), stageModule);
        assertThat(exit(refused)).as(log(tmp, "refused")).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(Files.readString(tmp.resolve("refused.err")))
                .contains("unknown module 'm2'; declared modules: none (add a modules: section)");
    }

    /**
     * What makes two first runs safe, seen in the flags the launcher gives the JVM: the first run
     * writes to a name of its own in the archive's directory (so the move is a rename on one file
     * system), a later run only reads the archive.
     */
    @Test
    void theArchiveIsWrittenToATemporaryNameOfItsOwnThenOnlyRead(@TempDir Path tmp)
            throws Exception {
        Path home = home(tmp.resolve("home"), false);
        Path job = Files.writeString(tmp.resolve("plain.yaml"), PLAIN);
        Path target = home.resolve("dataflow/target");
        String first = settings(home, tmp, "validate", job.toString());
        assertThat(flag(first, "ArchiveClassesAtExit"))
                .matches(Pattern.quote(target + "/ipdm-validate.jsa.") + "\\d+\\.tmp");
        assertThat(flag(first, "SharedArchiveFile")).isEmpty();
        assertThat(target.resolve("ipdm-validate.jsa")).isNotEmptyFile();
        assertThat(Path.of(flag(first, "ArchiveClassesAtExit"))).doesNotExist();

        String later = settings(home, tmp, "validate", job.toString());
        assertThat(flag(later, "ArchiveClassesAtExit")).isEmpty();
        assertThat(flag(later, "SharedArchiveFile"))
                .isEqualTo(target.resolve("ipdm-validate.jsa").toString());
    }

    /**
     * Two runs right after a source change: the second waits for the first's build and uses it, so
     * Maven runs once. The order is forced: the build (Maven, stood in for by a script that counts
     * its runs and finishes when told) is held until the second run says it is waiting.
     */
    @Test
    void twoRunsAfterASourceChangeBuildOnce(@TempDir Path tmp) throws Exception {
        Path home = home(tmp.resolve("home"), false);
        Path job = Files.writeString(tmp.resolve("plain.yaml"), PLAIN);
        Path built = home.resolve("dataflow/target/classpath.txt");
        Files.setLastModifiedTime(built, FileTime.from(Instant.now().minusSeconds(3600)));
        Path source = home.resolve("dataflow/src/main/java/Changed.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Changed {}\n");

        Path runs = tmp.resolve("mvn-runs");
        Path release = tmp.resolve("mvn-release");
        Path bin = Files.createDirectories(tmp.resolve("fake-bin"));
        Path mvn =
                Files.writeString(
                        bin.resolve("mvn"),
                        "#!/usr/bin/env bash\n"
                                + "echo \"$*\" >> "
                                + runs
                                + "\nwhile [ ! -e "
                                + release
                                + " ]; do sleep 0.05; done\n");
        assertThat(mvn.toFile().setExecutable(true)).isTrue();
        Map<String, String> env = Map.of("PATH", bin + File.pathSeparator + System.getenv("PATH"));

        Process first = start(home, tmp, "first", env, "validate", job.toString());
        awaitTrue(() -> Files.exists(runs), "the first run starts its build", first);
        Process second = start(home, tmp, "second", env, "validate", job.toString());
        awaitTrue(
                () ->
                        Files.readString(tmp.resolve("second.err")).contains("waiting for")
                                || Files.readAllLines(runs).size() > 1,
                "the second run waits for the build or starts its own",
                second);
        Files.createFile(release);
        assertThat(exit(first)).as(log(tmp, "first")).isZero();
        assertThat(exit(second)).as(log(tmp, "second")).isZero();
        assertThat(Files.readAllLines(runs)).as("Maven runs").hasSize(1);
        assertThat(Files.readString(tmp.resolve("first.err"))).contains("ipdm: building");
        assertThat(Files.readString(tmp.resolve("second.err")))
                .contains("ipdm: waiting for another ipdm's build of this tree to finish...")
                .doesNotContain("ipdm: building");
        assertThat(Files.getLastModifiedTime(built).toInstant())
                .isAfter(Files.getLastModifiedTime(source).toInstant());
    }

    private interface Check {
        boolean holds() throws IOException;
    }

    /** Waits until {@code check} holds; the bound is a guard against a hang, not a timing check. */
    private static void awaitTrue(Check check, String what, Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!check.holds()) {
            if (System.nanoTime() > end) {
                p.destroyForcibly();
                throw new AssertionError("never: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The value of a JVM flag in -XX:+PrintFlagsFinal output ("" when unset). */
    private static String flag(String printed, String name) {
        Matcher m = Pattern.compile(" " + name + " += (\\S*) *\\{").matcher(printed);
        assertThat(m.find()).as("%s in %s", name, printed).isTrue();
        return m.group(1).startsWith("{") ? "" : m.group(1);
    }

    /**
     * Whether the launcher gives the JVM the Graal compiler's upgrade module path for {@code args}.
     */
    private static boolean graal(Path home, Path tmp, String... args) throws Exception {
        return settings(home, tmp, args).contains("jdk.module.upgrade.path");
    }

    /**
     * The JVM's properties and flags as the launcher starts it for {@code args} (the JVM prints
     * them and ends, the command does not run).
     */
    private static String settings(Path home, Path tmp, String... args) throws Exception {
        Process p =
                start(
                        home,
                        tmp,
                        "settings",
                        Map.of(
                                "IPDM_JAVA_OPTS",
                                "-XshowSettings:properties -XX:+PrintFlagsFinal -version"),
                        args);
        assertThat(exit(p)).as(log(tmp, "settings")).isZero();
        return Files.readString(tmp.resolve("settings.out"))
                + Files.readString(tmp.resolve("settings.err"));
    }

    /**
     * A copy of the launcher, its bin/ and the parent pom (its JVM flags) in {@code home}, with
     * this test's class path in dataflow/target: dataflow's classes as the main jar, every other
     * class directory jarred, and classpath.txt written last so the launcher sees a finished build.
     */
    private static Path home(Path home, boolean graal) throws IOException {
        Path target = Files.createDirectories(home.resolve("dataflow/target"));
        Files.createDirectories(home.resolve("bin"));
        for (String f :
                List.of("ipdm", "pom.xml", "bin/java-env.sh", "bin/log4j2-cli.properties")) {
            Files.copy(ROOT.resolve(f), home.resolve(f));
            Files.setLastModifiedTime(
                    home.resolve(f), FileTime.from(Instant.now().minusSeconds(3600)));
        }
        if (graal) {
            Path compiler = ROOT.resolve("wasm-udf/target/graal-compiler");
            assumeTrue(Files.isDirectory(compiler), "no " + compiler + " (build wasm-udf first)");
            Files.createDirectories(home.resolve("wasm-udf/target"));
            Files.createSymbolicLink(home.resolve("wasm-udf/target/graal-compiler"), compiler);
        }
        Path own = Path.of("target/classes").toAbsolutePath();
        List<String> cp = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath();
            if (p.endsWith("test-classes") || !Files.exists(p)) {
                continue;
            }
            if (p.equals(own)) {
                jar(p, target.resolve("ipdm-dataflow-test.jar"));
            } else if (Files.isDirectory(p)) {
                Path jar = Files.createDirectories(target.resolve("lib")).resolve(n++ + ".jar");
                jar(p, jar);
                cp.add(jar.toString());
            } else {
                cp.add(p.toString());
            }
        }
        Files.writeString(target.resolve("classpath.txt"), String.join(File.pathSeparator, cp));
        return home;
    }

    private static void jar(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out);
                Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }

    private static Process start(
            Path home, Path dir, String name, Map<String, String> env, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", home.resolve("ipdm").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(dir.resolve(name + ".out").toFile())
                        .redirectError(dir.resolve(name + ".err").toFile());
        pb.environment().put("IPDM_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("IPDM_JAVA_OPTS");
        pb.environment().remove("IPDM_REBUILD");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** The exit code; a guard against a hang, not a timing check. */
    private static int exit(Process p) throws InterruptedException {
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not end within 5 minutes");
        }
        return p.exitValue();
    }

    private static String log(Path dir, String name) throws IOException {
        return name
                + " stdout:\n"
                + Files.readString(dir.resolve(name + ".out"))
                + "\nstderr:\n"
                + Files.readString(dir.resolve(name + ".err"));
    }
}
