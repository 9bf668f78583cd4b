package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.OptionSpec;
import java.util.List;

/**
 * What every source, stage and sink kind declares about itself: the name written after {@code
 * kind:}, one line on what it does, and its options. The parser checks {@code options:} maps
 * against {@link #options()}; {@code ipdm kinds} and docs/pipeline-yaml.md list them. See {@link
 * Kinds} for how a kind is added.
 */
public sealed interface Kind permits SourceKind, StageKind, SinkKind {
    String name();

    String summary();

    /** The keys of this kind's {@code options:} map. */
    List<OptionSpec> options();

    /** The option with this key (a kind asking for a key it did not declare is a bug). */
    default OptionSpec option(String key) {
        for (OptionSpec o : options()) {
            if (o.key().equals(key)) {
                return o;
            }
        }
        throw new IllegalStateException(name() + " declares no option '" + key + "'");
    }
}
