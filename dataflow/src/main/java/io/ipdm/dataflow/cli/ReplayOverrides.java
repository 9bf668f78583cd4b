package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.validate.PipelineLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ipdm run JOB --replay PATH...}: the {@code --set} overrides that put real blocks under a
 * job. Every Solana source (synthetic, RPC, replay or Old Faithful) becomes {@code solana-replay}
 * of the given files and directories, keeping its table. Event time is left as the job sets it:
 * replay reads the files in block time order, so blocks of several networks mixed in one replay are
 * not late.
 */
final class ReplayOverrides {
    private ReplayOverrides() {}

    /** The source kinds that read Solana blocks into the four tables. */
    static final Set<String> SOLANA_KINDS =
            Set.of("solana-synthetic", "solana-rpc", "solana-replay", "old-faithful");

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
            if (!SOLANA_KINDS.contains(s.kind())) {
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
                    "--replay: no Solana source (solana-synthetic, solana-rpc, solana-replay or"
                            + " old-faithful) to replay the blocks into");
        }
        return out;
    }
}
