package io.ipdm.dataflow.cluster;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.spec.PipelineException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Main class of {@code ipdm-job.jar}: {@code flink run ipdm-job.jar job.yaml [--set PATH=VALUE]...}
 * compiles the pipeline in the Flink client and submits it to the cluster {@code flink run}
 * targets.
 */
public final class JobJarMain {

    private JobJarMain() {}

    public static void main(String[] args) throws Exception {
        Path file = null;
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--set") && i + 1 < args.length) {
                sets.add(args[++i]);
            } else if (args[i].startsWith("--set=")) {
                sets.add(args[i].substring("--set=".length()));
            } else if (file == null && !args[i].startsWith("-")) {
                file = Path.of(args[i]);
            } else {
                usage("unexpected argument '" + args[i] + "'");
            }
        }
        if (file == null) {
            usage("no pipeline file given");
        }
        CompiledPipeline plan;
        try {
            plan = CompiledPipeline.load(file, sets, System.getenv(), Path.of("").toAbsolutePath());
        } catch (PipelineException e) {
            System.err.println(e.getMessage()); // file:line:column: key: message, one per line
            System.exit(2);
            return;
        }
        // Under `flink run` this is the client's context environment, bound to the target cluster.
        StreamExecutionEnvironment.getExecutionEnvironment().execute(plan.graph());
    }

    private static void usage(String problem) {
        System.err.println("ipdm-job.jar: " + problem);
        System.err.println("usage: flink run ipdm-job.jar PIPELINE.yaml [--set PATH=VALUE]...");
        System.exit(2);
    }
}
