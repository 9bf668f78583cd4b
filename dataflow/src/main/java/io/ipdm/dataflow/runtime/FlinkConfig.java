package io.ipdm.dataflow.runtime;

import io.ipdm.dataflow.spec.RuntimeSpec;
import io.ipdm.dataflow.spec.RuntimeSpec.RestartSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;

/** The pipeline's {@code runtime:} block as Flink configuration. */
public final class FlinkConfig {
    private FlinkConfig() {}

    /** Relative directories resolve against {@code baseDir}. */
    public static Configuration of(RuntimeSpec r, Path baseDir) {
        Configuration c = new Configuration();
        c.set(CoreOptions.DEFAULT_PARALLELISM, r.parallelism());
        c.set(StateBackendOptions.STATE_BACKEND, r.stateBackend().yaml());
        if (!r.checkpointInterval().isZero()) {
            c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, r.checkpointInterval());
        }
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, uri(baseDir, r.checkpointDir()));
        c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, uri(baseDir, savepointDir(r)));
        c.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        RestartSpec rs = r.restart();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, rs.strategy().yaml());
        switch (rs.strategy()) {
            case FIXED_DELAY -> {
                c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, rs.attempts());
                c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, rs.delay());
            }
            case EXPONENTIAL_DELAY -> {
                c.set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                        rs.attempts());
                c.set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                        rs.delay());
            }
            case NONE -> {}
        }
        // Web UI and REST API of the embedded cluster on a free loopback port.
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(RestOptions.BIND_PORT, "0");
        // The Web UI's REST API re-reads task metrics this often while it is being looked at
        // (Flink's default is 10 s); the progress line reads them in this JVM instead.
        c.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
        return c;
    }

    public static String savepointDir(RuntimeSpec r) {
        return r.stateDir() + "/savepoints";
    }

    public static String uri(Path baseDir, String dir) {
        return baseDir.resolve(dir).toAbsolutePath().normalize().toUri().toString();
    }
}
