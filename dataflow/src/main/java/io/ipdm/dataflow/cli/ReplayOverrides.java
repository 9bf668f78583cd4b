package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ipdm run JOB --replay PATH...}: the {@code --set} overrides that put real blocks under a
 * job. Every Solana source (synthetic, RPC or replay) becomes {@code solana-replay} of the given
 * files and directories, keeping its table. Event time is left as the job sets it: replay reads the
 * files in block time order, so blocks of several networks mixed in one replay are not late.
 */
final class ReplayOverrides {
    private ReplayOverrides() {}

    /** {@code sets} followed by the overrides that replay {@code paths} in {@code file}'s job. */
    static List<String> apply(
            Path file, List<String> sets, List<String> paths, Map<String, String> env) {
        if (paths == null || paths.isEmpty()) {
            return sets;
        }
        PipelineSpec spec = PipelineLoader.load(file, sets, env).spec();
        List<String> out = new ArrayList<>(sets);
        String joined = String.join(",", paths);
        boolean any = false;
        for (SourceSpec s : spec.sources()) {
            if (s.kind() == null || !s.kind().startsWith("solana-")) {
                continue;
            }
            any = true;
            String base = "sources." + s.id();
            out.add(base + ".kind=solana-replay");
            out.add(base + ".options=");
            out.add(base + ".options.path=" + joined);
        }
        if (!any) {
            throw new IllegalArgumentException(
                    "--replay: " + file + " has no Solana source to replay the blocks into");
        }
        return out;
    }
}
