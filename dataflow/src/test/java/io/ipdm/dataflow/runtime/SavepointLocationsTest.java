package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SavepointLocationsTest {
    @Test
    void urisStayAndPathsResolveAgainstTheBase() {
        Path base = Path.of("/work/base");
        assertThat(SavepointLocations.resolve("file:/tmp/sp/savepoint-1", base))
                .isEqualTo("file:/tmp/sp/savepoint-1");
        assertThat(SavepointLocations.resolve("s3://bucket/sp", base)).isEqualTo("s3://bucket/sp");
        assertThat(SavepointLocations.resolve("sp/../savepoints/x", base))
                .isEqualTo("/work/base/savepoints/x");
        assertThat(SavepointLocations.resolve("/abs/sp", base)).isEqualTo("/abs/sp");
        // a one-letter "scheme" is a Windows drive or a file name, not a URI
        assertThat(SavepointLocations.resolve("c:sp", base)).isEqualTo("/work/base/c:sp");
    }
}
