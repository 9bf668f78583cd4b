package io.ipdm.connectors.lakes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReaderBase;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.types.Row;

/**
 * Bounded source of Lava Lakes data: the rows of window roots written by {@link LakesSink} (by
 * CID), the blocks of a CAR file as {@code (cid, codec, data)} rows, or the Solana rows of Old
 * Faithful epoch CARs (same schema as the getBlock source). One split per root or file. Window
 * roots can be restricted to those a node says are verified ({@link #verifiedWindows}).
 */
public final class LakesSource
        implements Source<Row, LakeSplit, Collection<LakeSplit>>, ResultTypeQueryable<Row> {
    /** Rows of {@link #car}. */
    public static final RowTypeInfo BLOCKS =
            new RowTypeInfo(
                    new TypeInformation<?>[] {
                        Types.STRING, Types.STRING, Types.PRIMITIVE_ARRAY(Types.BYTE)
                    },
                    new String[] {"cid", "codec", "data"});

    /**
     * {@code verified_only}: read a window root only once the node says its root is verified.
     *
     * @param node the node's lake directory or admin URL (resolved when the job starts)
     * @param timeout a root still pending after this is not read
     */
    public record Verify(String node, Duration poll, Duration timeout)
            implements java.io.Serializable {}

    private final List<LakeSplit> splits;
    private final RowTypeInfo type;
    private final Verify verify;

    private LakesSource(List<LakeSplit> splits, RowTypeInfo type, Verify verify) {
        this.splits = List.copyOf(splits);
        this.type = type;
        this.verify = verify;
    }

    private LakesSource(List<LakeSplit> splits, RowTypeInfo type) {
        this(splits, type, null);
    }

    /**
     * The rows of those window roots the node in {@code verify} says are verified; disputed roots,
     * and roots still pending after its timeout, are not read ({@link VerifiedWindowsEnumerator}).
     */
    public static LakesSource verifiedWindows(
            String lakeDir, List<String> rootCids, RowTypeInfo type, Verify verify) {
        return new LakesSource(windows(lakeDir, rootCids, type).splits, type, verify);
    }

    /** The rows of each window root CID, typed as they were written. */
    public static LakesSource windows(String lakeDir, List<String> rootCids, RowTypeInfo type) {
        List<LakeSplit> splits = new ArrayList<>();
        for (String cid : rootCids) {
            io.ipdm.multiformats.Cid.parse(cid); // fail at build time on a bad CID
            splits.add(new LakeSplit("window-" + cid, "window", lakeDir, cid, 0));
        }
        return new LakesSource(splits, type);
    }

    /**
     * The row type of window roots as written: their field names (all roots must have the same),
     * each typed by its first non-null value (integer: BIGINT, float: DOUBLE, text: STRING,
     * boolean: BOOLEAN, bytes: BYTES; never a value: STRING). Reads the roots from the lake.
     */
    public static RowTypeInfo windowType(String lakeDir, List<String> rootCids) {
        List<String> fields = null;
        TypeInformation<?>[] types = null;
        try {
            io.ipdm.lakes.store.TieredStore store =
                    LakeRegistry.acquire(lakeDir, 64L << 20, 1L << 30);
            try {
                for (String cid : rootCids) {
                    io.ipdm.lakes.window.WindowArchive.Window w =
                            io.ipdm.lakes.window.WindowArchive.read(
                                    store, io.ipdm.multiformats.Cid.parse(cid));
                    if (fields == null) {
                        fields = w.fields();
                        types = new TypeInformation<?>[fields.size()];
                    } else if (!fields.equals(w.fields())) {
                        throw new io.ipdm.lakes.LakesException(
                                "window "
                                        + cid
                                        + " has fields "
                                        + w.fields()
                                        + ", the roots before it "
                                        + fields
                                        + "; read windows of one query together");
                    }
                    for (List<Object> row : w.rows()) {
                        for (int i = 0; i < types.length; i++) {
                            if (types[i] == null && row.get(i) != null) {
                                types[i] =
                                        switch (row.get(i)) {
                                            case Long l -> Types.LONG;
                                            case Double d -> Types.DOUBLE;
                                            case Boolean b -> Types.BOOLEAN;
                                            case byte[] b -> Types.PRIMITIVE_ARRAY(Types.BYTE);
                                            default -> Types.STRING;
                                        };
                            }
                        }
                    }
                }
            } finally {
                LakeRegistry.release(lakeDir);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot open the lake at " + lakeDir, e);
        }
        for (int i = 0; i < types.length; i++) {
            if (types[i] == null) {
                types[i] = Types.STRING;
            }
        }
        return new RowTypeInfo(types, fields.toArray(new String[0]));
    }

    /** Every block of a CAR v1/v2 file, verified against its CID. */
    public static LakesSource car(String carPath) {
        return new LakesSource(
                List.of(new LakeSplit("car-" + carPath, "car", carPath, "", 0)), BLOCKS);
    }

    /** Solana rows of {@code table} from Old Faithful epoch CAR files, one split per file. */
    public static LakesSource oldFaithful(
            List<String> carPaths, io.ipdm.connectors.solana.SolanaTable table) {
        List<LakeSplit> splits = new ArrayList<>();
        for (String p : carPaths) {
            splits.add(new LakeSplit("faithful-" + p, "faithful", p, table.name(), 0));
        }
        return new LakesSource(splits, table.rowType());
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<LakeSplit, Collection<LakeSplit>> createEnumerator(
            SplitEnumeratorContext<LakeSplit> ctx) {
        return restoreEnumerator(ctx, splits);
    }

    @Override
    public SplitEnumerator<LakeSplit, Collection<LakeSplit>> restoreEnumerator(
            SplitEnumeratorContext<LakeSplit> ctx, Collection<LakeSplit> checkpoint) {
        if (verify != null) {
            // restored splits are asked about again: a verdict is cheap and may have changed
            return new VerifiedWindowsEnumerator(
                    ctx, checkpoint, verify.node(), verify.poll(), verify.timeout());
        }
        return new IteratorSourceEnumerator<>(ctx, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<LakeSplit> getSplitSerializer() {
        return new LakeSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<LakeSplit>> getEnumeratorCheckpointSerializer() {
        return new LakeSplitSerializer.Pending();
    }

    @Override
    public SourceReader<Row, LakeSplit> createReader(SourceReaderContext ctx) {
        return new Reader(ctx, type);
    }

    @Override
    public TypeInformation<Row> getProducedType() {
        return type;
    }

    private static final class Reader
            extends IteratorSourceReaderBase<Object, Row, LakeSplit.Rows, LakeSplit> {
        private final RowTypeInfo type;

        Reader(SourceReaderContext ctx, RowTypeInfo type) {
            super(ctx);
            this.type = type;
        }

        @SuppressWarnings("unchecked")
        @Override
        protected Row convert(Object value) {
            return value instanceof Row row ? row : RowValues.fromIpld((List<Object>) value, type);
        }
    }
}
