package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.spec.PipelineError;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.yaml.Location;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --replay PATH...} on {@code run}, {@code validate} and {@code explain}: what runs is what
 * was checked and explained.
 */
final class ReplayOption {
    @Option(
            names = "--replay",
            arity = "1..*",
            paramLabel = "PATH",
            description =
                    "Run on real blocks: every Solana source (synthetic, RPC, replay, Old Faithful)"
                            + " becomes solana-replay of these getBlock files or directories"
                            + " (keeping its table), read in block time order.")
    List<String> paths;

    /**
     * {@code sets} followed by the overrides that replay the paths in {@code file}'s job.
     *
     * @throws PipelineException naming the file when it has no Solana source
     */
    List<String> sets(Path file, List<String> sets) {
        try {
            return ReplayOverrides.apply(file, sets, paths, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new PipelineException(
                    new PipelineError(Location.of(file.toString()), "", e.getMessage()));
        }
    }
}
