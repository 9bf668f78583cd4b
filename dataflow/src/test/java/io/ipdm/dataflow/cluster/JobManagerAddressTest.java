package io.ipdm.dataflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobManagerAddressTest {

    @Test
    void parsesHostAndPortWithOrWithoutScheme() {
        assertThat(JobManagerAddress.parse("localhost:8081"))
                .isEqualTo(new JobManagerAddress("localhost", 8081));
        assertThat(JobManagerAddress.parse("http://10.0.0.5:18081/"))
                .isEqualTo(new JobManagerAddress("10.0.0.5", 18081));
        assertThat(JobManagerAddress.parse("localhost:8081").url())
                .isEqualTo("http://localhost:8081");
    }

    @Test
    void rejectsAddressesWithoutAUsablePort() {
        assertThatThrownBy(() -> JobManagerAddress.parse("localhost"))
                .hasMessage(
                        "--jobmanager must be HOST:PORT of the Flink REST endpoint (e.g."
                                + " localhost:8081), got 'localhost'");
        assertThatThrownBy(() -> JobManagerAddress.parse("localhost:web"))
                .hasMessage(
                        "--jobmanager port is not a number in 'localhost:web'; expected HOST:PORT");
        assertThatThrownBy(() -> JobManagerAddress.parse("localhost:70000"))
                .hasMessage("JobManager port must be within 1..65535, got 70000");
    }

    @Test
    void rejectsMalformedJobIds() {
        assertThatThrownBy(() -> JobOperations.parseJobId("abc"))
                .hasMessage("'abc' is not a job id (32 hex digits, as `ipdm jobs list` prints)");
        assertThat(JobOperations.parseJobId("0d54d33bd3a590ad0018b5650b2666f4").toString())
                .isEqualTo("0d54d33bd3a590ad0018b5650b2666f4");
    }
}
