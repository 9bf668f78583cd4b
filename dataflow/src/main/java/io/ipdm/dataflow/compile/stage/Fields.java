package io.ipdm.dataflow.compile.stage;

import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.validate.Suggest;

/** Messages about field names. */
final class Fields {
    private Fields() {}

    static String unknown(String field, TypedStream input) {
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
}
