package io.ipdm.dataflow.compile.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.operators.aggregate.AggregateKind;
import io.ipdm.operators.aggregate.Aggregator;
import io.ipdm.operators.aggregate.Precision;
import io.ipdm.operators.wasm.WasmAggregator;
import io.ipdm.operators.wasm.WasmStage;
import io.ipdm.wasm.SandboxLimits;
import io.ipdm.wasm.WasmModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RawType;
import org.junit.jupiter.api.Test;

/**
 * The SQL accumulators' serializers as Flink keeps them in state (a RAW field of the accumulator
 * row): a snapshot written and read back resolves as compatible with the serializer of the same
 * query, so checkpoints and savepoints restore; accumulators round-trip through their bytes.
 */
class SqlAccSerializersTest {

    private static <T> T roundTripCompatibility(TypeSerializer<T> written, TypeSerializer<T> now)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, written.snapshotConfiguration());
        TypeSerializerSnapshot<T> old =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        SqlAccSerializersTest.class.getClassLoader());
        assertThat(now.snapshotConfiguration().resolveSchemaCompatibility(old).isCompatibleAsIs())
                .as("%s reads state written by %s", now, written)
                .isTrue();
        return null;
    }

    private static RowDataSerializer accumulatorRow(TypeSerializer<SqlAggregates.Acc> acc) {
        return new RowDataSerializer(
                new LogicalType[] {new BigIntType(), new RawType<>(SqlAggregates.Acc.class, acc)});
    }

    @Test
    void builtInAccumulatorsRestore() throws Exception {
        for (AggregateKind kind :
                List.of(
                        AggregateKind.QUANTILES,
                        AggregateKind.COUNT_DISTINCT,
                        AggregateKind.TOP_K)) {
            for (Precision p : Precision.values()) {
                TypeInformation<?> type =
                        kind == AggregateKind.QUANTILES ? Types.LONG : Types.STRING;
                roundTripCompatibility(
                        accumulatorRow(new SqlAggregates.AccSerializer(kind, p, type)),
                        accumulatorRow(new SqlAggregates.AccSerializer(kind, p, type)));
            }
        }
    }

    @Test
    void moduleAccumulatorsRestore() throws Exception {
        roundTripCompatibility(accumulatorRow(fixed()), accumulatorRow(fixed()));
    }

    private static SqlAggregates.FixedAccSerializer fixed() {
        WasmModule module =
                WasmModule.load(
                        Path.of("../wasm-udf/corpus/c/cu_price.wasm"), SandboxLimits.DEFAULT);
        RowTypeInfo in =
                new RowTypeInfo(
                        new TypeInformation<?>[] {Types.LONG, Types.INT, Types.LONG},
                        new String[] {"fee", "signatures", "compute_units"});
        @SuppressWarnings("unchecked")
        Aggregator<Object> a =
                (Aggregator<Object>)
                        (Aggregator<?>)
                                new WasmAggregator(
                                        WasmStage.of(module, "fee_weighted"),
                                        in,
                                        Map.of(),
                                        Map.of());
        return new SqlAggregates.FixedAccSerializer(a, module.cid() + "/cu_price.fee_weighted");
    }
}
