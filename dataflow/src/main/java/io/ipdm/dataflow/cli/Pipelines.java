package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.runtime.CompiledPipeline;
import io.ipdm.dataflow.runtime.JobIdentity;
import io.ipdm.dataflow.spec.PipelineError;
import io.ipdm.dataflow.validate.GraphValidator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Loading as every subcommand does it: the process environment feeds ${VAR} references and relative
 * paths resolve against the working directory.
 */
final class Pipelines {
    private Pipelines() {}

    static Path cwd() {
        return Path.of("").toAbsolutePath();
    }

    /**
     * Loads and compiles (without running), so schema and expression errors show too.
     *
     * @throws io.ipdm.dataflow.spec.PipelineException for every mistake in the file
     */
    static CompiledPipeline compile(Path file, List<String> sets) {
        return CompiledPipeline.load(file, sets, System.getenv(), cwd());
    }

    /** The job CID lines {@code explain} and {@code run} print. */
    static String describeIdentity(JobIdentity id) {
        StringBuilder sb = new StringBuilder("\njob ").append(id.cid()).append('\n');
        if (id.notReproducible().isEmpty()) {
            sb.append("  reproducible: a verifier can re-run it from the job and module CIDs\n");
        } else {
            for (String why : id.notReproducible()) {
                sb.append("  not re-runnable by a verifier: ").append(why).append('\n');
            }
        }
        return sb.toString();
    }

    /** Prints the pipeline's warnings ("warning: FILE:LINE:COL: path: message"), one a line. */
    static void printWarnings(CompiledPipeline p, PrintWriter err) {
        for (PipelineError w :
                GraphValidator.warnings(p.loaded().graph(), p.loaded().sourceMap())) {
            err.println("warning: " + w);
        }
        err.flush();
    }
}
