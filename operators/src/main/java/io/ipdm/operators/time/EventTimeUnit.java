package io.ipdm.operators.time;

/** The unit of an event-time field; Flink timestamps are epoch milliseconds. */
public enum EventTimeUnit {
    /** Unix seconds, as Solana's {@code block_time}. */
    SECONDS(1000L, 1L),
    MILLIS(1L, 1L),
    MICROS(1L, 1000L),
    NANOS(1L, 1_000_000L);

    private final long multiply;
    private final long divide;

    EventTimeUnit(long multiply, long divide) {
        this.multiply = multiply;
        this.divide = divide;
    }

    /** Converts a value in this unit to epoch milliseconds (rounding down). */
    public long toMillis(long value) {
        return divide == 1 ? Math.multiplyExact(value, multiply) : Math.floorDiv(value, divide);
    }

    /** Parses "seconds", "s", "millis", "ms", ... case-insensitively. */
    public static EventTimeUnit parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            case "seconds", "second", "s", "sec" -> SECONDS;
            case "millis", "milliseconds", "ms" -> MILLIS;
            case "micros", "microseconds", "us" -> MICROS;
            case "nanos", "nanoseconds", "ns" -> NANOS;
            default ->
                    throw new IllegalArgumentException(
                            "unknown time unit '"
                                    + name
                                    + "'; use one of: seconds, millis, micros, nanos");
        };
    }
}
