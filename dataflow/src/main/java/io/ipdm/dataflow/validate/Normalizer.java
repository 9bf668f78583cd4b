package io.ipdm.dataflow.validate;

import io.ipdm.dataflow.spec.AggregateDef;
import io.ipdm.dataflow.spec.EventTimeSpec;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.RuntimeSpec;
import io.ipdm.dataflow.spec.RuntimeSpec.RestartSpec;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.dataflow.spec.StageSpec;
import io.ipdm.dataflow.spec.WindowDef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills every default so later phases never see null options. Pure: same spec in, same spec out;
 * the defaults are documented in docs/pipeline-yaml.md.
 */
public final class Normalizer {
    public static final int DEFAULT_PARALLELISM = 2;
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(5);

    private Normalizer() {}

    public static PipelineSpec normalize(PipelineSpec spec) {
        EventTimeSpec pipelineTime =
                spec.eventTime() == null ? null : eventTime(spec.eventTime(), null);
        List<SourceSpec> sources = new ArrayList<>();
        for (SourceSpec s : spec.sources()) {
            EventTimeSpec et =
                    s.eventTime() == null ? pipelineTime : eventTime(s.eventTime(), pipelineTime);
            sources.add(new SourceSpec(s.id(), s.kind(), s.table(), s.options(), et));
        }
        List<StageSpec> stages = new ArrayList<>();
        for (StageSpec s : spec.stages()) {
            stages.add(stage(s));
        }
        return new PipelineSpec(
                spec.name(),
                spec.description(),
                pipelineTime,
                sources,
                stages,
                spec.sinks(),
                runtime(spec.runtime(), spec.name()),
                spec.modules());
    }

    private static EventTimeSpec eventTime(EventTimeSpec e, EventTimeSpec parent) {
        return new EventTimeSpec(
                e.field(),
                or(e.unit(), parent == null ? EventTimeSpec.TimeUnit.SECONDS : parent.unit()),
                or(
                        e.maxOutOfOrderness(),
                        parent == null ? DEFAULT_OUT_OF_ORDERNESS : parent.maxOutOfOrderness()),
                e.idleness() != null ? e.idleness() : parent == null ? null : parent.idleness(),
                or(
                        e.watermarks(),
                        parent == null ? EventTimeSpec.Watermarks.PERIODIC : parent.watermarks()));
    }

    private static StageSpec stage(StageSpec s) {
        return switch (s) {
            case StageSpec.Explode e ->
                    new StageSpec.Explode(
                            e.id(),
                            e.input(),
                            e.field(),
                            or(e.as(), e.field()),
                            or(e.distinct(), true));
            case StageSpec.Window w -> {
                WindowDef d = w.window();
                WindowDef nd =
                        new WindowDef(
                                d.type(),
                                d.size(),
                                d.slide(),
                                d.gap(),
                                d.step(),
                                or(d.allowedLateness(), Duration.ZERO),
                                d.lateOutput());
                List<AggregateDef> aggs = new ArrayList<>();
                for (AggregateDef a : w.aggregates()) {
                    aggs.add(aggregate(a));
                }
                yield new StageSpec.Window(w.id(), w.input(), w.keyBy(), nd, aggs);
            }
            default -> s;
        };
    }

    private static AggregateDef aggregate(AggregateDef def) {
        if (!(def instanceof AggregateDef.BuiltIn a)) {
            return def;
        }
        String name =
                a.name() != null
                        ? a.name()
                        : a.field() == null ? a.fn().yaml() : a.fn().yaml() + "_" + a.field();
        AggregateDef.Mode mode = a.mode();
        if (mode == null) {
            mode =
                    switch (a.fn()) {
                        case COUNT_DISTINCT, QUANTILES -> AggregateDef.Mode.APPROXIMATE;
                        default -> AggregateDef.Mode.EXACT;
                    };
        }
        return new AggregateDef.BuiltIn(name, a.fn(), a.field(), mode, a.k(), a.quantiles());
    }

    private static RuntimeSpec runtime(RuntimeSpec r, String name) {
        RuntimeSpec in =
                r != null
                        ? r
                        : new RuntimeSpec(null, null, null, null, null, null, null, null, null);
        String stateDir = or(in.stateDir(), "state/" + name);
        RestartSpec rs = in.restart();
        RestartSpec restart;
        if (rs == null) {
            restart = new RestartSpec(RestartSpec.Strategy.FIXED_DELAY, 3, Duration.ofSeconds(2));
        } else {
            restart =
                    new RestartSpec(
                            rs.strategy(),
                            or(rs.attempts(), 3),
                            or(rs.delay(), Duration.ofSeconds(2)));
        }
        return new RuntimeSpec(
                or(in.parallelism(), DEFAULT_PARALLELISM),
                or(in.stateBackend(), RuntimeSpec.StateBackend.ROCKSDB),
                or(in.checkpointInterval(), DEFAULT_CHECKPOINT_INTERVAL),
                stateDir,
                or(in.checkpointDir(), stateDir + "/checkpoints"),
                restart,
                in.metricsPort(),
                or(in.attest(), false),
                or(in.preAggregate(), true));
    }

    private static <T> T or(T v, T fallback) {
        return v != null ? v : fallback;
    }
}
