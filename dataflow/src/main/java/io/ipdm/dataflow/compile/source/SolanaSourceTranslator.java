package io.ipdm.dataflow.compile.source;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import io.ipdm.connectors.solana.SolanaSourceDefinition;
import io.ipdm.connectors.solana.SolanaSources;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.rpc.RpcOptions;
import io.ipdm.connectors.solana.synthetic.SyntheticOptions;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SourceTranslator;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.SourceSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/** The Solana source kinds: replay of getBlock files, synthetic chain, live RPC. */
public final class SolanaSourceTranslator implements SourceTranslator {
    @Override
    public TypedStream translate(SourceSpec source, CompileContext ctx) {
        String base = "sources." + source.id();
        SolanaTable table;
        try {
            table = SolanaTable.fromName(source.table());
        } catch (IllegalArgumentException e) {
            throw ctx.error(base + ".table", e.getMessage());
        }
        Options o = new Options(source.options(), base + ".options", ctx);
        SolanaSourceDefinition def;
        try {
            def =
                    switch (source.kind()) {
                        case "solana-replay" -> replay(o, table, base, ctx);
                        case "solana-synthetic" ->
                                SolanaSources.synthetic(
                                        synthetic(o), table, columns(table, ctx, source.id()));
                        default -> SolanaSources.rpc(rpc(o, base, ctx), table);
                    };
        } catch (IllegalArgumentException e) {
            throw ctx.error(base + ".options", e.getMessage());
        }
        o.checkKnown();
        WatermarkStrategy<Row> watermarks = SourceWatermarks.of(source, def.rowType(), ctx);
        DataStream<Row> stream =
                ctx.env()
                        .fromSource(
                                def.source(),
                                watermarks,
                                def.rowType().getArity() < table.arity()
                                        ? source.id()
                                                + " reading "
                                                + List.of(def.rowType().getFieldNames())
                                        : source.id(),
                                def.rowType())
                        .uid(CompileContext.uid(source.id(), "source"));
        return new TypedStream(source.id(), stream, def.rowType(), List.of(), source.eventTime());
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

    private static SolanaSourceDefinition replay(
            Options o, SolanaTable table, String base, CompileContext ctx) {
        String raw = o.string("path", null);
        List<Path> paths = new ArrayList<>();
        for (String p : raw.split(",")) {
            Path path = ctx.baseDir().resolve(p.strip()).normalize();
            if (!Files.exists(path)) {
                throw ctx.error(base + ".options.path", "no such file or directory: " + path);
            }
            paths.add(path);
        }
        return SolanaSources.replay(paths, table);
    }

    /**
     * Bounded by {@code end_slot}, {@code slots} (a count) or {@code duration} (chain time at 400
     * ms per slot); unbounded when none is given.
     */
    private static SyntheticOptions synthetic(Options o) {
        SyntheticOptions.Builder b = SyntheticOptions.builder();
        b.seed(o.longValue("seed", 42));
        long start = o.longValue("start_slot", 300_000_000L);
        b.startSlot(start);
        Long end = o.optionalLong("end_slot");
        Long slots = o.optionalLong("slots");
        Duration span = o.duration("duration", null);
        if (end != null) {
            b.endSlot(end);
        } else if (slots != null) {
            b.endSlot(start + slots);
        } else if (span != null) {
            b.duration(span);
        }
        Integer tps = o.optionalInt("transactions_per_slot", 1, Integer.MAX_VALUE);
        if (tps != null) {
            b.transactionsPerSlot(tps);
        }
        b.voteFraction(o.doubleValue("vote_fraction", 0.75));
        b.failureRate(o.doubleValue("failure_rate", 0.07));
        b.skippedSlotRate(o.doubleValue("skipped_slot_rate", 0.05));
        b.v0Fraction(o.doubleValue("v0_fraction", 0.4));
        b.targetRate(o.doubleValue("target_rate", 0));
        Integer perSplit = o.optionalInt("slots_per_split", 1, Integer.MAX_VALUE);
        if (perSplit != null) {
            b.slotsPerSplit(perSplit);
        }
        Integer pool = o.optionalInt("account_pool_size", 1, Integer.MAX_VALUE);
        if (pool != null) {
            b.accountPoolSize(pool);
        }
        Integer validators = o.optionalInt("validator_count", 1, Integer.MAX_VALUE);
        if (validators != null) {
            b.validatorCount(validators);
        }
        return b.build();
    }

    private static RpcOptions rpc(Options o, String base, CompileContext ctx) {
        String endpoint = o.string("endpoint", null);
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw ctx.error(base + ".options.endpoint", "not a URL: " + e.getMessage());
        }
        RpcOptions.Builder b = RpcOptions.builder(uri);
        Long start = o.optionalLong("start_slot");
        if (start != null) {
            b.startSlot(start);
        }
        Long end = o.optionalLong("end_slot");
        if (end != null) {
            b.endSlot(end);
        }
        String commitment = o.optionalString("commitment");
        if (commitment != null) {
            b.commitment(commitment);
        }
        String encoding = o.optionalString("encoding");
        if (encoding != null) {
            b.encoding(encoding);
        }
        Duration poll = o.duration("poll_interval", null);
        if (poll != null) {
            b.pollInterval(poll);
        }
        Duration timeout = o.duration("request_timeout", null);
        if (timeout != null) {
            b.requestTimeout(timeout);
        }
        Integer attempts = o.optionalInt("max_attempts", 1, Integer.MAX_VALUE);
        if (attempts != null) {
            b.maxAttempts(attempts);
        }
        Integer inFlight = o.optionalInt("max_in_flight", 1, Integer.MAX_VALUE);
        if (inFlight != null) {
            b.maxInFlight(inFlight);
        }
        String corrupt = o.optionalString("on_corrupt_block");
        if (corrupt != null) {
            b.onCorruptBlock(corruptPolicy(corrupt, base, ctx));
        }
        return b.build();
    }

    private static CorruptBlockPolicy corruptPolicy(String v, String base, CompileContext ctx) {
        try {
            return CorruptBlockPolicy.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ctx.error(
                    base + ".options.on_corrupt_block", "expected fail or skip, got '" + v + "'");
        }
    }
}
