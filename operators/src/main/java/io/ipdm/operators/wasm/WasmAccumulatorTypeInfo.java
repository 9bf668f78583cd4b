package io.ipdm.operators.wasm;

import java.io.Serial;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/** Type of a {@link WasmAccumulator}: creates {@link WasmAccumulatorSerializer}. */
public final class WasmAccumulatorTypeInfo extends TypeInformation<WasmAccumulator> {
    @Serial private static final long serialVersionUID = 1L;

    private final RowTypeInfo pendingType;

    /**
     * @param pendingType the module's input columns, as pending rows hold them
     */
    public WasmAccumulatorTypeInfo(RowTypeInfo pendingType) {
        this.pendingType = pendingType;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<WasmAccumulator> getTypeClass() {
        return WasmAccumulator.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<WasmAccumulator> createSerializer(SerializerConfig config) {
        return new WasmAccumulatorSerializer(pendingType.createSerializer(config));
    }

    @Override
    public String toString() {
        return "WasmAccumulator" + pendingType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WasmAccumulatorTypeInfo t && t.pendingType.equals(pendingType);
    }

    @Override
    public int hashCode() {
        return pendingType.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof WasmAccumulatorTypeInfo;
    }
}
