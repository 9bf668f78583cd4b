package io.ipdm.operators.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** The accumulator survives a checkpoint (Flink's serializers) mid-batch and across versions. */
class WasmAggregateFunctionTest {
    static final WasmStage VWAP =
            WasmStage.of(TestModules.load("rust/vwap.wasm"), "vwap")
                    .withBatching(4, Duration.ofSeconds(1));

    static Row swap(double price, double amount) {
        return Row.of("SOL/USDC", 1L, price, amount);
    }

    static WasmAccumulator roundTrip(WasmAggregateFunction fn, WasmAccumulator acc)
            throws Exception {
        TypeSerializer<WasmAccumulator> s =
                fn.accumulatorType().createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(acc, out);
        return s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void checkpointedAccumulatorsContinueWhereTheyStopped() throws Exception {
        WasmAggregateFunction fn = new WasmAggregateFunction(VWAP, WasmAggregateITCase.SWAPS);
        WasmAccumulator direct = fn.createAccumulator();
        WasmAccumulator restored = fn.createAccumulator();
        for (int i = 0; i < 10; i++) {
            Row s = swap(100 + i, 1 + i % 3);
            direct = fn.add(s, direct);
            // serialize after every row: pending rows and folded state both go through a checkpoint
            restored = roundTrip(fn, fn.add(s, restored));
        }
        assertThat(restored.pending()).hasSize(2); // 10 rows, batches of 4
        assertThat(fn.getResult(restored)).isEqualTo(fn.getResult(direct));
        assertThat(fn.getResult(direct).getField(2)).isEqualTo(10L);
    }

    @Test
    void aStateFromAnotherModuleVersionIsRestoredFirst() throws Exception {
        WasmAggregateFunction fn = new WasmAggregateFunction(VWAP, WasmAggregateITCase.SWAPS);
        WasmAccumulator acc = fn.add(swap(10, 2), fn.createAccumulator());
        acc.moduleCid = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
        Row result = fn.getResult(acc);
        assertThat(acc.moduleCid()).isEqualTo(VWAP.moduleCid());
        assertThat(result.getField(0)).isEqualTo(10.0);
    }

    @Test
    void onlyAggregatesAreWindowFunctions() {
        WasmStage map = WasmStage.of(TestModules.load("c/classify.wasm"), "classify");
        assertThatThrownBy(() -> new WasmAggregateFunction(map, WasmOperatorsITCase.TXS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("module 'classify' function 'classify' is a map, not an aggregate");
    }
}
