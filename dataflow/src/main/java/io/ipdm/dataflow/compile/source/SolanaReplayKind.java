package io.ipdm.dataflow.compile.source;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import io.ipdm.connectors.solana.SolanaSources;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SourceKind;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/** {@code kind: solana-replay}: the rows of files of getBlock responses (bounded). */
public final class SolanaReplayKind implements SourceKind {
    static final String PATH = "path";
    static final String ON_CORRUPT_BLOCK = "on_corrupt_block";
    static final String VERIFY_SIGNATURES = "verify_signatures";

    @Override
    public String name() {
        return "solana-replay";
    }

    @Override
    public String summary() {
        return "replays files of Solana getBlock responses as rows of a table (bounded)";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.required(
                        PATH,
                        Type.STRING,
                        "a file or directory of getBlock responses (comma-separated for several),"
                                + " relative to the working directory"),
                OptionSpec.of(
                        ON_CORRUPT_BLOCK,
                        Type.STRING,
                        "fail",
                        "fail: the job fails naming file, slot and reason; skip: the block is"
                                + " logged, counted and skipped"),
                verifySignaturesOption());
    }

    /** The option both getBlock-based kinds share. */
    static OptionSpec verifySignaturesOption() {
        return OptionSpec.of(
                VERIFY_SIGNATURES,
                Type.BOOLEAN,
                false,
                "check every transaction's Ed25519 signatures over its message bytes; a block with"
                        + " one that does not verify is corrupt (see on_corrupt_block). Needs"
                        + " base64 or base58 transactions: json ones cannot be verified");
    }

    @Override
    public RowTypeInfo type(SourceSpec source, Options o, CompileContext ctx) {
        SolanaTable table = SolanaTables.table(source, ctx);
        paths(o, ctx);
        policy(o, ctx);
        return table.rowType();
    }

    @Override
    public TypedStream emit(SourceSpec source, Options o, RowTypeInfo type, CompileContext ctx) {
        return SolanaTables.emit(
                source,
                SolanaSources.replay(
                        paths(o, ctx),
                        SolanaTables.projection(source, ctx),
                        policy(o, ctx),
                        o.bool(VERIFY_SIGNATURES)),
                ctx);
    }

    private static List<Path> paths(Options o, CompileContext ctx) {
        List<Path> paths = new ArrayList<>();
        for (String p : o.string(PATH).split(",")) {
            Path path = ctx.baseDir().resolve(p.strip()).normalize();
            if (!Files.exists(path)) {
                throw ctx.error(o.path(PATH), "no such file or directory: " + path);
            }
            paths.add(path);
        }
        return paths;
    }

    static CorruptBlockPolicy policy(Options o, CompileContext ctx) {
        String v = o.string(ON_CORRUPT_BLOCK);
        try {
            return CorruptBlockPolicy.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ctx.error(o.path(ON_CORRUPT_BLOCK), "expected fail or skip, got '" + v + "'");
        }
    }
}
