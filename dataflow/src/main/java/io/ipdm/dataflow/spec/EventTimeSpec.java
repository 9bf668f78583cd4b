package io.ipdm.dataflow.spec;

import java.time.Duration;

/**
 * Which Long field carries event time, its unit, and how watermarks follow it.
 *
 * @param watermarks when the watermark advances (null until normalised: periodic)
 */
public record EventTimeSpec(
        String field,
        TimeUnit unit,
        Duration maxOutOfOrderness,
        Duration idleness,
        Watermarks watermarks) {

    /** When a source's watermark advances. */
    public enum Watermarks {
        /**
         * every 200 ms (Flink's auto-watermark interval): cheap; which rows are late depends on
         * timing
         */
        PERIODIC("periodic"),
        /**
         * after every row with a new largest event time: which rows are late depends only on the
         * order of the input (replays of recorded data, reproducible runs)
         */
        PER_EVENT("per_event");

        private final String yaml;

        Watermarks(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }

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
