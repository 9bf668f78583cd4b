package io.ipdm.dataflow.compile.source;

import io.ipdm.connectors.solana.SolanaSources;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.synthetic.SyntheticOptions;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SourceKind;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SourceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * {@code kind: solana-synthetic}: a seeded synthetic chain. Bounded by {@code end_slot}, {@code
 * slots} (a count) or {@code duration} (chain time at 400 ms per slot); unbounded when none is
 * given. Only the columns later stages read are generated.
 */
public final class SolanaSyntheticKind implements SourceKind {
    @Override
    public String name() {
        return "solana-synthetic";
    }

    @Override
    public String summary() {
        return "a seeded synthetic Solana chain as rows of a table";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.of("seed", Type.INTEGER, 42L, "random seed; same seed, same chain"),
                OptionSpec.of("start_slot", Type.INTEGER, 300_000_000L, "first slot"),
                OptionSpec.of(
                        "end_slot", Type.INTEGER, null, "last slot (exclusive); bounds the chain"),
                OptionSpec.of("slots", Type.INTEGER, null, "number of slots; bounds the chain"),
                OptionSpec.of(
                        "duration",
                        Type.DURATION,
                        null,
                        "chain time (400 ms a slot); bounds the chain. None of end_slot, slots,"
                                + " duration: unbounded"),
                OptionSpec.of(
                                "transactions_per_slot",
                                Type.INTEGER,
                                1500L,
                                "transactions per slot (at most 100000)")
                        .range(1, Integer.MAX_VALUE),
                OptionSpec.of("vote_fraction", Type.NUMBER, 0.75, "share of vote transactions"),
                OptionSpec.of("failure_rate", Type.NUMBER, 0.07, "share of failed transactions"),
                OptionSpec.of("skipped_slot_rate", Type.NUMBER, 0.05, "share of skipped slots"),
                OptionSpec.of("v0_fraction", Type.NUMBER, 0.4, "share of version 0 transactions"),
                OptionSpec.of(
                        "target_rate",
                        Type.NUMBER,
                        0.0,
                        "transactions per second over all readers; 0 = as fast as possible"),
                OptionSpec.of(
                                "slots_per_split",
                                Type.INTEGER,
                                100L,
                                "slots per split (the unit of work of a reader)")
                        .range(1, Integer.MAX_VALUE),
                OptionSpec.of(
                                "account_pool_size",
                                Type.INTEGER,
                                50_000L,
                                "distinct accounts (at least 16)")
                        .range(1, Integer.MAX_VALUE),
                OptionSpec.of("validator_count", Type.INTEGER, 1_500L, "distinct block leaders")
                        .range(1, Integer.MAX_VALUE),
                OptionSpec.of(
                        "late_fraction",
                        Type.NUMBER,
                        0.0,
                        "share of rows whose block_time is moved back by late_by (the same rows"
                                + " every run): late data for allowed_lateness"),
                OptionSpec.of(
                        "late_by",
                        Type.DURATION,
                        Duration.ofSeconds(100),
                        "how far late_fraction rows are moved back (whole seconds)"));
    }

    @Override
    public RowTypeInfo type(SourceSpec source, Options o, CompileContext ctx) {
        SolanaTable table = SolanaTables.table(source, ctx);
        options(o, ctx);
        return table.rowType();
    }

    @Override
    public TypedStream emit(SourceSpec source, Options o, RowTypeInfo type, CompileContext ctx) {
        SolanaTable table = SolanaTables.table(source, ctx);
        return SolanaTables.emit(
                source,
                SolanaSources.synthetic(options(o, ctx), table, columns(table, ctx, source.id())),
                ctx);
    }

    /**
     * Projection push-down into the generator: the columns later stages read (null: all), so the
     * ones nobody reads are not generated.
     */
    private static List<String> columns(SolanaTable table, CompileContext ctx, String id) {
        Set<String> needed = ctx.neededFields(id);
        if (needed == null) {
            return null;
        }
        List<String> keep = table.fieldNames().stream().filter(needed::contains).toList();
        return keep.isEmpty() ? List.of(table.fieldNames().get(0)) : keep;
    }

    private static SyntheticOptions options(Options o, CompileContext ctx) {
        List<String> bounds =
                List.of("end_slot", "slots", "duration").stream().filter(o::given).toList();
        if (bounds.size() > 1) {
            throw ctx.error(
                    o.path(bounds.get(1)),
                    "give one of end_slot, slots, duration to bound the chain, not "
                            + String.join(" and ", bounds));
        }
        if (o.given("late_by") && o.number("late_fraction") == 0) {
            throw ctx.error(
                    o.path("late_by"),
                    "late_by moves the late_fraction rows back, and late_fraction is 0; set"
                            + " late_fraction (e.g. 0.01) or drop late_by");
        }
        // checked here by their YAML names and positions (the generator's own checks name its
        // Java fields and could only point at the whole options map)
        for (String k : List.of("vote_fraction", "failure_rate", "v0_fraction", "late_fraction")) {
            double v = o.number(k);
            if (!(v >= 0 && v <= 1)) {
                throw ctx.error(o.path(k), k + " is a share: expected 0 to 1, got " + v);
            }
        }
        double skipped = o.number("skipped_slot_rate");
        if (!(skipped >= 0 && skipped < 1)) {
            throw ctx.error(
                    o.path("skipped_slot_rate"),
                    "skipped_slot_rate is a share below 1 (some slots must have blocks): expected"
                            + " 0 to under 1, got "
                            + skipped);
        }
        if (!(o.number("target_rate") >= 0)) {
            throw ctx.error(
                    o.path("target_rate"),
                    "target_rate must be 0 (as fast as possible) or more, got "
                            + o.number("target_rate"));
        }
        if (o.int32("transactions_per_slot") > 100_000) {
            throw ctx.error(
                    o.path("transactions_per_slot"),
                    "transactions_per_slot is at most 100000, got "
                            + o.int32("transactions_per_slot"));
        }
        if (o.int32("account_pool_size") < 16) {
            throw ctx.error(
                    o.path("account_pool_size"),
                    "account_pool_size is at least 16, got " + o.int32("account_pool_size"));
        }
        try {
            SyntheticOptions.Builder b = SyntheticOptions.builder();
            b.seed(o.integer("seed"));
            long start = o.integer("start_slot");
            b.startSlot(start);
            Long end = o.integer("end_slot");
            Long slots = o.integer("slots");
            Duration span = o.duration("duration");
            if (end != null) {
                b.endSlot(end);
            } else if (slots != null) {
                b.endSlot(start + slots);
            } else if (span != null) {
                b.duration(span);
            }
            b.transactionsPerSlot(o.int32("transactions_per_slot"));
            b.voteFraction(o.number("vote_fraction"));
            b.failureRate(o.number("failure_rate"));
            b.skippedSlotRate(o.number("skipped_slot_rate"));
            b.v0Fraction(o.number("v0_fraction"));
            b.targetRate(o.number("target_rate"));
            b.slotsPerSplit(o.int32("slots_per_split"));
            b.accountPoolSize(o.int32("account_pool_size"));
            b.validatorCount(o.int32("validator_count"));
            b.lateFraction(o.number("late_fraction"));
            b.lateBy(o.duration("late_by"));
            return b.build();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ctx.error(o.path(), e.getMessage());
        }
    }
}
