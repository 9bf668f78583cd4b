package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.StreamType;
import io.ipdm.dataflow.validate.Suggest;
import java.util.List;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/** Messages about field names. */
final class Fields {
    private Fields() {}

    static String unknown(String field, StreamType input) {
        String near = Suggest.closest(field, input.fieldNames());
        return "unknown field '"
                + field
                + "'"
                + (near == null ? "" : " (did you mean '" + near + "'?)")
                + "; fields of '"
                + input.id()
                + "': "
                + String.join(", ", input.fieldNames());
    }

    /**
     * For an operator name: {@code " keeping [a, b]"} when {@code out} has fewer fields than {@code
     * in} (projection push-down at work), else empty.
     */
    static String kept(RowTypeInfo out, RowTypeInfo in) {
        return out.getArity() < in.getArity() ? " keeping " + List.of(out.getFieldNames()) : "";
    }
}
