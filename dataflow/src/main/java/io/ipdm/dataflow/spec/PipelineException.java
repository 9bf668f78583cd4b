package io.ipdm.dataflow.spec;

import java.util.List;
import java.util.stream.Collectors;

/** The pipeline file is wrong; carries every error found, each with file:line:column. */
public final class PipelineException extends RuntimeException {
    private final List<PipelineError> errors;

    public PipelineException(List<PipelineError> errors) {
        super(errors.stream().map(PipelineError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public PipelineException(PipelineError error) {
        this(List.of(error));
    }

    public List<PipelineError> errors() {
        return errors;
    }
}
