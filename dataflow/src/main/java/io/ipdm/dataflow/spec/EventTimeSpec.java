package io.ipdm.dataflow.spec;

import java.time.Duration;

/** Which Long field carries event time, its unit, and how watermarks follow it. */
public record EventTimeSpec(
        String field, TimeUnit unit, Duration maxOutOfOrderness, Duration idleness) {

    /** The unit of the event-time field. */
    public enum TimeUnit {
        SECONDS("seconds"),
        MILLISECONDS("milliseconds");

        private final String yaml;

        TimeUnit(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }
}
