package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.SolanaDecodeException;
import java.io.IOException;
import java.util.List;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.runtime.operators.coordination.TaskNotRunningException;
import org.apache.flink.util.FlinkException;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;

class FailureCauseTest {
    private static final SolanaDecodeException DECODE =
            new SolanaDecodeException(
                    "b.json: slot 5: the JSON ends inside a string at line 1, column 9",
                    new IOException("Unexpected end-of-input in VALUE_STRING"));

    private static Throwable wrapped(Throwable t) {
        return new JobExecutionException(
                null, "Job execution failed.", new RuntimeException("task failed", t));
    }

    @Test
    void theOutermostIpdmErrorWinsOverTheLibraryErrorItWraps() {
        assertThat(FailureCause.of(wrapped(DECODE))).isSameAs(DECODE);
    }

    @Test
    void aSerializedIpdmErrorKeepsItsMessage() {
        Throwable cause = FailureCause.of(wrapped(new SerializedThrowable(DECODE)));
        assertThat(cause.getMessage()).isEqualTo(DECODE.getMessage());
        assertThat(FailureCause.className(cause)).isEqualTo(SolanaDecodeException.class.getName());
    }

    @Test
    void withoutAnIpdmErrorTheRootCause() {
        IOException root = new IOException("disk full");
        assertThat(FailureCause.of(wrapped(root))).isSameAs(root);
    }

    @Test
    void flinksTaskNotRunningGivesWayToTheTasksOwnFailure() {
        TaskNotRunningException flink =
                new TaskNotRunningException("Task is not running, but in state FAILED");
        assertThat(FailureCause.isFlinkRuntime(FailureCause.of(wrapped(flink)))).isTrue();
        assertThat(
                        FailureCause.firstNotFlinkRuntime(
                                        List.of(
                                                new SerializedThrowable(wrapped(flink)),
                                                new SerializedThrowable(wrapped(DECODE))),
                                        flink)
                                .getMessage())
                .isEqualTo(DECODE.getMessage());
        assertThat(FailureCause.firstNotFlinkRuntime(List.of(wrapped(flink)), flink))
                .isSameAs(flink);
    }

    @Test
    void whenTheHistoryHoldsOnlyTheLostEventTheTasksRecordedErrorIsReported() {
        // the JobMaster failed the task for a lost coordinator event before its own report came
        Throwable lost =
                new SerializedThrowable(
                        wrapped(
                                new FlinkException(
                                        "An OperatorEvent from an OperatorCoordinator to a task"
                                                + " was lost.",
                                        new TaskNotRunningException(
                                                "Task is not running, but in state FAILED"))));
        assertThat(FailureCause.of(lost, List.of(lost), DECODE).getMessage())
                .isEqualTo(DECODE.getMessage());
        assertThat(FailureCause.isFlinkRuntime(FailureCause.of(lost, List.of(lost), null)))
                .isTrue();
        // the exception history's own task error comes first; so does the job's own
        Throwable other = new SerializedThrowable(wrapped(new IOException("disk full")));
        assertThat(FailureCause.of(lost, List.of(lost, other), DECODE).getMessage())
                .isEqualTo("disk full");
        assertThat(FailureCause.of(wrapped(DECODE), List.of(), null)).isSameAs(DECODE);
    }
}
