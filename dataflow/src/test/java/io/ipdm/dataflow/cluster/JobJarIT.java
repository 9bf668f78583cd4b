package io.ipdm.dataflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.cli.IpdmCli;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code flink run target/ipdm-job.jar job.yaml} against a session cluster that has only Flink's
 * own jars, as an existing Flink 2.x cluster would: Flink's CLI frontend ({@code CliFrontend}, from
 * flink-clients) uploads the jar, its main class compiles the YAML in the client and the job runs
 * from the jar's classes alone. Needs the shaded jar, so surefire leaves it out (not *Test or
 * *ITCase): dataflow/job-jar-check.sh builds the jar and runs it.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class JobJarIT {

    private static final PrintWriter LOG = new PrintWriter(System.out, true);

    @Test
    void flinkRunOfTheJobJarOnAPlainFlinkClusterGivesWhatIpdmRunGives() throws Exception {
        Path jar = Path.of("target", "ipdm-job.jar").toAbsolutePath();
        assertThat(jar).as("the job jar: run dataflow/job-jar-check.sh").isRegularFile();
        Path dir = Path.of("target", "job-jar-it").toAbsolutePath();
        LocalClusterITCase.deleteRecursively(dir);
        List<Path> flinkOnly = withoutWhatTheJarHolds(jar);
        assertThat(flinkOnly)
                .as("cluster classpath")
                .noneMatch(p -> p.getFileName().toString().startsWith("ipdm-"))
                .anyMatch(p -> p.getFileName().toString().startsWith("flink-runtime-"));

        ClusterSpec spec =
                new ClusterSpec(
                        1,
                        2,
                        dir.resolve("cluster"),
                        0,
                        flinkOnly,
                        FlinkJvmCommands.inheritedModuleFlags(),
                        Optional.empty(),
                        "1g",
                        "768m");
        String[] sets = {
            "--set", "sinks.0.options.path=" + dir.resolve("flink-run/out"),
            "--set", "runtime.state_dir=" + dir.resolve("flink-run/state"),
            "--set", "sources.txs.options.target_rate=0"
        };
        try (LocalCluster cluster =
                LocalCluster.start(spec, Map.of(), LOG, Duration.ofMinutes(2))) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(FlinkJvmCommands.inheritedModuleFlags());
            // logging as bin/flink sets it up
            cmd.add("-Dlog.file=" + dir.resolve("flink-client.log"));
            cmd.add(
                    "-Dlog4j.configurationFile="
                            + cluster.layout().confDir().resolve("log4j.properties").toUri());
            cmd.add("-cp");
            cmd.add(flinkOnly.stream().map(Path::toString).collect(Collectors.joining(":")));
            cmd.addAll(
                    List.of(
                            "org.apache.flink.client.cli.CliFrontend",
                            "run",
                            "-m",
                            cluster.restAddress().toString(),
                            jar.toString(),
                            LocalClusterITCase.WINDOWED_YAML));
            cmd.addAll(List.of(sets));
            Path clientLog = dir.resolve("flink-run.log");
            ProcessBuilder pb =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(clientLog.toFile());
            // the client reads conf/ like a Flink installation's bin/flink does
            pb.environment().put("FLINK_CONF_DIR", cluster.layout().confDir().toString());
            Process client = pb.start();
            client.getOutputStream().close();
            boolean done = client.waitFor(4, TimeUnit.MINUTES);
            if (!done) {
                client.destroyForcibly();
            }
            assertThat(done && client.exitValue() == 0)
                    .as(
                            "flink run exited 0; its output:%n%s%nits log: %s",
                            Files.readString(clientLog), dir.resolve("flink-client.log"))
                    .isTrue();
        }

        CommandLine ipdm = IpdmCli.commandLine();
        ipdm.setOut(LOG);
        ipdm.setErr(LOG);
        List<String> runArgs = new ArrayList<>(List.of("run", LocalClusterITCase.WINDOWED_YAML));
        runArgs.addAll(
                List.of(
                        "--set", "sinks.0.options.path=" + dir.resolve("ipdm-run/out"),
                        "--set", "runtime.state_dir=" + dir.resolve("ipdm-run/state"),
                        "--set", "sources.txs.options.target_rate=0"));
        assertThat(ipdm.execute(runArgs.toArray(String[]::new))).isEqualTo(IpdmCli.OK);

        assertThat(CommittedLines.of(dir.resolve("flink-run/out")))
                .hasSizeGreaterThan(100)
                .isEqualTo(CommittedLines.of(dir.resolve("ipdm-run/out")));
    }

    /**
     * This JVM's classpath without IPDM's classes and without every jar the job jar bundles: what a
     * Flink distribution has (Flink, its dependencies, logging), and nothing IPDM brings.
     */
    private static List<Path> withoutWhatTheJarHolds(Path jobJar) throws IOException {
        Set<String> bundled;
        try (JarFile j = new JarFile(jobJar.toFile())) {
            bundled = j.stream().map(JarEntry::getName).collect(Collectors.toSet());
        }
        List<Path> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar") && !bundledIn(p, bundled)) {
                kept.add(p);
            }
        }
        return kept;
    }

    private static boolean bundledIn(Path jar, Set<String> bundled) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream()
                    .map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                    .findFirst()
                    .map(bundled::contains)
                    .orElse(false);
        }
    }
}
