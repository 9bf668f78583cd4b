package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.dataflow.yaml.YNode;
import io.ipdm.dataflow.yaml.YNode.YList;
import io.ipdm.dataflow.yaml.YNode.YMap;
import io.ipdm.dataflow.yaml.YNode.YScalar;
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

    /**
     * The overrides that replay {@code paths} in {@code file}'s job, followed by {@code sets}: the
     * user's --set then refine the replay source ({@code options.on_corrupt_block=skip}).
     */
    static List<String> apply(
            Path file, List<String> sets, List<String> paths, Map<String, String> env) {
        if (paths == null || paths.isEmpty()) {
            return sets;
        }
        // the file as the user's --set leave it, unchecked: its options may be the old kind's
        YNode tree = PipelineLoader.tree(file, sets, env);
        List<String> out = new ArrayList<>();
        String joined = String.join(",", paths);
        if (tree instanceof YMap root && root.get("sources") instanceof YList sources) {
            for (YNode item : sources.items()) {
                if (item instanceof YMap source
                        && source.get("id") instanceof YScalar id
                        && source.get("kind") instanceof YScalar kind
                        && SOLANA_KINDS.contains(String.valueOf(kind.value()))) {
                    String base = "sources." + id.value();
                    out.add(base + ".kind=solana-replay");
                    out.add(base + ".options=");
                    out.add(base + ".options.path=" + joined);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    "--replay: no Solana source (solana-synthetic, solana-rpc, solana-replay or"
                            + " old-faithful) to replay the blocks into");
        }
        out.addAll(sets);
        return out;
    }
}
