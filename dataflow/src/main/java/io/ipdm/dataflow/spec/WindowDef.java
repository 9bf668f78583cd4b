package io.ipdm.dataflow.spec;

import java.time.Duration;

/**
 * Window shape. tumbling: size; hopping: size and slide; session: gap; cumulative: size (the max
 * span) and step. {@code lateOutput} names a stream of late rows that sinks can read.
 */
public record WindowDef(
        Type type,
        Duration size,
        Duration slide,
        Duration gap,
        Duration step,
        Duration allowedLateness,
        String lateOutput) {

    /** Window kinds. */
    public enum Type {
        TUMBLING("tumbling"),
        HOPPING("hopping"),
        SESSION("session"),
        CUMULATIVE("cumulative");

        private final String yaml;

        Type(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }
}
