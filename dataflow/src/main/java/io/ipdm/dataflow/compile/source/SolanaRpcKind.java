package io.ipdm.dataflow.compile.source;

import io.ipdm.connectors.solana.SolanaSources;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.rpc.RpcOptions;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SourceKind;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SourceSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/** {@code kind: solana-rpc}: blocks polled from a Solana JSON-RPC endpoint. */
public final class SolanaRpcKind implements SourceKind {
    @Override
    public boolean reproducible() {
        return false;
    }

    @Override
    public String name() {
        return "solana-rpc";
    }

    @Override
    public String summary() {
        return "polls a Solana JSON-RPC endpoint for blocks (bounded with end_slot)";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.required(
                        "endpoint", Type.STRING, "http(s) URL of the JSON-RPC endpoint"),
                OptionSpec.of(
                        "start_slot", Type.INTEGER, null, "first slot (default: the current one)"),
                OptionSpec.of("end_slot", Type.INTEGER, null, "last slot; bounds the source"),
                OptionSpec.of("commitment", Type.STRING, "confirmed", "confirmed or finalized"),
                OptionSpec.of(
                        "encoding", Type.STRING, "base64", "base64, base58, json or jsonParsed"),
                OptionSpec.of(
                        "poll_interval",
                        Type.DURATION,
                        Duration.ofMillis(400),
                        "time between polls at the tip"),
                OptionSpec.of(
                        "request_timeout",
                        Type.DURATION,
                        Duration.ofSeconds(30),
                        "timeout of one request"),
                OptionSpec.of(
                                "max_attempts",
                                Type.INTEGER,
                                8L,
                                "attempts per request before the job fails")
                        .range(1, Integer.MAX_VALUE),
                OptionSpec.of(
                                "max_in_flight",
                                Type.INTEGER,
                                4L,
                                "concurrent requests per reader (at most 64)")
                        .range(1, Integer.MAX_VALUE),
                OptionSpec.of(
                        SolanaReplayKind.ON_CORRUPT_BLOCK,
                        Type.STRING,
                        "fail",
                        "fail: the job fails naming the slot and reason; skip: the block is"
                                + " logged, counted and skipped"),
                SolanaReplayKind.verifySignaturesOption());
    }

    @Override
    public RowTypeInfo type(SourceSpec source, Options o, CompileContext ctx) {
        SolanaTable table = SolanaTables.table(source, ctx);
        verify(o, options(o, ctx), ctx);
        return table.rowType();
    }

    @Override
    public TypedStream emit(SourceSpec source, Options o, RowTypeInfo type, CompileContext ctx) {
        RpcOptions options = options(o, ctx);
        boolean verify = verify(o, options, ctx);
        return SolanaTables.emit(
                source,
                SolanaSources.rpc(options, SolanaTables.projection(source, ctx), verify),
                ctx);
    }

    private static boolean verify(Options o, RpcOptions options, CompileContext ctx) {
        boolean verify = o.bool(SolanaReplayKind.VERIFY_SIGNATURES);
        if (verify && !List.of("base64", "base58").contains(options.encoding())) {
            throw ctx.error(
                    o.path(SolanaReplayKind.VERIFY_SIGNATURES),
                    "verify_signatures needs encoding base64 or base58 (the signed message"
                            + " bytes); encoding "
                            + options.encoding()
                            + " does not carry them");
        }
        return verify;
    }

    private static RpcOptions options(Options o, CompileContext ctx) {
        URI uri;
        try {
            uri = new URI(o.string("endpoint"));
        } catch (URISyntaxException e) {
            throw ctx.error(o.path("endpoint"), "not a URL: " + e.getMessage());
        }
        try {
            RpcOptions.Builder b = RpcOptions.builder(uri);
            Long start = o.integer("start_slot");
            if (start != null) {
                b.startSlot(start);
            }
            Long end = o.integer("end_slot");
            if (end != null) {
                b.endSlot(end);
            }
            b.commitment(o.string("commitment"));
            b.encoding(o.string("encoding"));
            b.pollInterval(o.duration("poll_interval"));
            b.requestTimeout(o.duration("request_timeout"));
            b.maxAttempts(o.int32("max_attempts"));
            b.maxInFlight(o.int32("max_in_flight"));
            b.onCorruptBlock(SolanaReplayKind.policy(o, ctx));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw ctx.error(o.path(), e.getMessage());
        }
    }
}
