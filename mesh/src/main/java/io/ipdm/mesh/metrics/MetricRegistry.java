package io.ipdm.mesh.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A node's metrics, written out in the Prometheus text exposition format (version 0.0.4) when
 * scraped. Services register their metrics once, when they start:
 *
 * <ul>
 *   <li>{@link #counter(String, String)}: a counter the service increments ({@code
 *       registry.counter("ipdm_node_challenges_sent_total", "...").inc()});
 *   <li>{@link #counter(String, String, LongSupplier)} and {@link #gauge(String, String,
 *       LongSupplier)}: a value the service already keeps, read at every scrape;
 *   <li>{@link #family}: one metric with a label, its samples read at every scrape (mesh size per
 *       topic, blocks per tier).
 * </ul>
 *
 * Names follow Prometheus' rules ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}), counters end in {@code
 * _total}, and a name is registered once: a second registration is a programming error and throws.
 * Suppliers run on the scraping thread, so they must be thread-safe and cheap. Thread-safe.
 */
public final class MetricRegistry {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** Prometheus' metric types this registry writes. */
    public enum Type {
        COUNTER,
        GAUGE
    }

    private record Metric(
            String name,
            String help,
            Type type,
            String label,
            Supplier<Map<String, ? extends Number>> samples) {}

    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final AtomicLong scrapes = new AtomicLong();

    /**
     * {@code source} read at most once per scrape: several metrics taken from one snapshot (a
     * router's counters, read on its event loop) cost one read and agree with each other.
     */
    public <T> Supplier<T> perScrape(Supplier<T> source) {
        return new Supplier<>() {
            private long at = -1;
            private T value;

            @Override
            public synchronized T get() {
                long now = scrapes.get();
                if (at != now) {
                    value = source.get();
                    at = now;
                }
                return value;
            }
        };
    }

    /** A counter the caller increments. */
    public Counter counter(String name, String help) {
        Counter c = new Counter();
        counter(name, help, c::get);
        return c;
    }

    /** A counter whose value {@code value} returns (a total kept elsewhere; never decreasing). */
    public void counter(String name, String help, LongSupplier value) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("counter " + name + " must end in _total");
        }
        add(new Metric(name, help, Type.COUNTER, null, () -> Map.of("", value.getAsLong())));
    }

    /** A gauge: a value that goes up and down, read at every scrape. */
    public void gauge(String name, String help, LongSupplier value) {
        add(new Metric(name, help, Type.GAUGE, null, () -> Map.of("", value.getAsLong())));
    }

    /**
     * One metric with one label: {@code samples} maps each label value to the sample (e.g. topic to
     * mesh size).
     */
    public void family(
            String name,
            String help,
            Type type,
            String label,
            Supplier<Map<String, ? extends Number>> samples) {
        if (!LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("bad label name '" + label + "' of " + name);
        }
        if (type == Type.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("counter " + name + " must end in _total");
        }
        add(new Metric(name, help, type, label, samples));
    }

    private synchronized void add(Metric m) {
        if (!NAME.matcher(m.name()).matches()) {
            throw new IllegalArgumentException(
                    "bad metric name '" + m.name() + "'; use [a-zA-Z_:][a-zA-Z0-9_:]*");
        }
        if (metrics.putIfAbsent(m.name(), m) != null) {
            throw new IllegalArgumentException("metric " + m.name() + " is already registered");
        }
    }

    /** The names registered, in registration order. */
    public synchronized List<String> names() {
        return List.copyOf(metrics.keySet());
    }

    /**
     * Every metric in the text exposition format. A supplier that throws is left out of this scrape
     * (with a comment saying why) rather than failing the others.
     */
    public String scrape() {
        List<Metric> all;
        scrapes.incrementAndGet();
        synchronized (this) {
            all = new ArrayList<>(metrics.values());
        }
        StringBuilder sb = new StringBuilder();
        for (Metric m : all) {
            Map<String, ? extends Number> samples;
            try {
                samples = m.samples().get();
            } catch (RuntimeException e) {
                sb.append("# ").append(m.name()).append(" unavailable: ");
                sb.append(String.valueOf(e.getMessage()).replace('\n', ' ')).append('\n');
                continue;
            }
            sb.append("# HELP ").append(m.name()).append(' ');
            sb.append(m.help().replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            sb.append("# TYPE ").append(m.name()).append(' ');
            sb.append(m.type().name().toLowerCase(Locale.ROOT)).append('\n');
            for (Map.Entry<String, ? extends Number> s : samples.entrySet()) {
                sb.append(m.name());
                if (m.label() != null) {
                    sb.append('{').append(m.label()).append("=\"");
                    escapeLabel(sb, s.getKey()).append("\"}");
                }
                sb.append(' ').append(format(s.getValue())).append('\n');
            }
        }
        return sb.toString();
    }

    private static StringBuilder escapeLabel(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb;
    }

    private static String format(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d)) {
                return "NaN";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "+Inf" : "-Inf";
            }
            return Double.toString(d);
        }
        return Long.toString(n.longValue());
    }

    /** A counter kept by the registry. Thread-safe. */
    public static final class Counter {
        private final LongAdder value = new LongAdder();

        public void inc() {
            value.increment();
        }

        public void add(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("a counter only grows, got " + n);
            }
            value.add(n);
        }

        public long get() {
            return value.sum();
        }
    }
}
