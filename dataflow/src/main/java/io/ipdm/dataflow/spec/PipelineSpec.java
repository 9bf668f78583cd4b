package io.ipdm.dataflow.spec;

import java.util.List;

/**
 * A pipeline as written in YAML (spec v1). Optional parts are null until {@link
 * io.ipdm.dataflow.validate.Normalizer} fills defaults.
 */
public record PipelineSpec(
        String name,
        String description,
        EventTimeSpec eventTime,
        List<SourceSpec> sources,
        List<StageSpec> stages,
        List<SinkSpec> sinks,
        RuntimeSpec runtime,
        List<ModuleSpec> modules) {
    public PipelineSpec {
        sources = List.copyOf(sources);
        stages = List.copyOf(stages);
        sinks = List.copyOf(sinks);
        modules = List.copyOf(modules);
    }
}
