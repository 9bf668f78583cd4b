package io.ipdm.dataflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.dataflow.cli.IpdmCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ipdm node} as a real, separate JVM (this test's classpath), as the network tests start it:
 * its output in {@code LAKE/stdout.txt} and {@code LAKE/stderr.txt}, ready once it has written
 * {@code LAKE/node.json}.
 */
public final class NodeProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeProcess() {}

    /**
     * {@code java JVM... IpdmCli node --lake LAKE ARGS...}, output redirected into the lake
     * directory (created); the caller may set its environment before starting it.
     */
    public static ProcessBuilder command(Path lake, List<String> jvm, List<String> args)
            throws IOException {
        Files.createDirectories(lake);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        IpdmCli.class.getName(),
                        "node",
                        "--lake",
                        lake.toString()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd)
                .redirectOutput(lake.resolve("stdout.txt").toFile())
                .redirectError(lake.resolve("stderr.txt").toFile());
    }

    /** Starts {@link #command} with a 256 MiB heap. */
    public static Process start(Path lake, List<String> args) throws IOException {
        return command(lake, List.of("-Xmx256m"), args).start();
    }

    /**
     * The node's {@code node.json} once written (within 2 minutes).
     *
     * @throws AssertionError with the node's stderr if it exits first
     */
    public static JsonNode awaitInfo(Path lake, Process p) throws Exception {
        Path info = lake.resolve("node.json");
        for (int i = 0; i < 1200 && !Files.exists(info); i++) {
            checkAlive(lake, p);
            Thread.sleep(100);
        }
        return JSON.readTree(Files.readString(info));
    }

    /**
     * @throws AssertionError naming the exit code and the node's stderr, if it has exited
     */
    public static void checkAlive(Path lake, Process p) throws IOException {
        if (!p.isAlive()) {
            throw new AssertionError(
                    "node on "
                            + lake
                            + " exited with "
                            + p.exitValue()
                            + ": "
                            + Files.readString(lake.resolve("stderr.txt")));
        }
    }
}
