package io.ipdm.connectors.lakes;

import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * Writes each closed window's rows to Lava Lakes and returns the stream of window roots, so a later
 * stage can publish or attest them. The input must carry {@code window_start} and {@code
 * window_end} (Long epoch millis) and event timestamps inside the window.
 */
public final class LakesSink {
    /** {@code window_start, window_end, root_cid, row_count}. */
    public static final RowTypeInfo ROOTS =
            new RowTypeInfo(
                    new org.apache.flink.api.common.typeinfo.TypeInformation<?>[] {
                        Types.LONG, Types.LONG, Types.STRING, Types.LONG
                    },
                    new String[] {"window_start", "window_end", "root_cid", "row_count"});

    /**
     * {@link #ROOTS} and {@code blocks}: the window's archive as a CAR v1, root first in the
     * header.
     */
    public static final RowTypeInfo ARCHIVES =
            new RowTypeInfo(
                    new org.apache.flink.api.common.typeinfo.TypeInformation<?>[] {
                        Types.LONG,
                        Types.LONG,
                        Types.STRING,
                        Types.LONG,
                        Types.PRIMITIVE_ARRAY(Types.BYTE)
                    },
                    new String[] {"window_start", "window_end", "root_cid", "row_count", "blocks"});

    private LakesSink() {}

    /**
     * Each closed window's archive ({@link #ARCHIVES}) without writing it anywhere: the same
     * buffering and the same {@link io.ipdm.lakes.window.WindowArchive} encoding as {@link
     * #windows}, so the root is the one a lake sink would write.
     */
    public static DataStream<Row> archives(DataStream<Row> rows, RowTypeInfo type, String uid) {
        return process(rows, type, null, ARCHIVES, uid, "window archives");
    }

    public static DataStream<Row> windows(
            DataStream<Row> rows, RowTypeInfo type, LakesSinkOptions options, String uid) {
        return process(rows, type, options, ROOTS, uid, "lava-lakes windows");
    }

    private static DataStream<Row> process(
            DataStream<Row> rows,
            RowTypeInfo type,
            LakesSinkOptions options,
            RowTypeInfo out,
            String uid,
            String name) {
        int start = Arrays.asList(type.getFieldNames()).indexOf("window_start");
        int end = Arrays.asList(type.getFieldNames()).indexOf("window_end");
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException(
                    "lakes sink: input needs window_start and window_end fields, has "
                            + Arrays.toString(type.getFieldNames()));
        }
        return rows.keyBy(r -> (Long) r.getField(end), Types.LONG)
                .process(new LakesWindowWriter(options, type, start), out)
                .uid(uid)
                .name(name);
    }
}
