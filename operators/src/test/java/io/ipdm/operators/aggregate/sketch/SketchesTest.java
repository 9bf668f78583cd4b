package io.ipdm.operators.aggregate.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SketchesTest {
    @Test
    void hyperLogLogIsExactWhileSmallAndWithinItsErrorAfter() {
        HyperLogLog h = new HyperLogLog(12);
        for (int i = 0; i < HyperLogLog.EXACT_LIMIT; i++) {
            h.add(Hashing.hash("acct" + i));
            h.add(Hashing.hash("acct" + i));
        }
        assertThat(h.isExact()).isTrue();
        assertThat(h.estimate()).isEqualTo(HyperLogLog.EXACT_LIMIT);
        for (int n : new int[] {1_000, 10_000, 200_000}) {
            HyperLogLog a = new HyperLogLog(12);
            HyperLogLog b = new HyperLogLog(12);
            for (int i = 0; i < n; i++) {
                (i % 3 == 0 ? a : b).add(Hashing.hash((long) i));
            }
            long merged = a.merge(b).estimate();
            assertThat(Math.abs(merged - n) / (double) n)
                    .as("n=%d estimate %d", n, merged)
                    .isLessThan(0.05);
        }
    }

    @Test
    void hyperLogLogMergeIsOrderIndependent() {
        HyperLogLog a = new HyperLogLog(12);
        HyperLogLog b = new HyperLogLog(12);
        for (int i = 0; i < 5000; i++) {
            a.add(Hashing.hash((long) i));
            b.add(Hashing.hash((long) i + 2500));
        }
        assertThat(a.copy().merge(b)).isEqualTo(b.copy().merge(a));
    }

    @Test
    void frequentItemsAreExactBelowCapacityAndBoundedAbove() {
        Random rnd = new Random(3);
        Map<String, Long> truth = new HashMap<>();
        FrequentItems left = new FrequentItems(64);
        FrequentItems right = new FrequentItems(64);
        for (int i = 0; i < 100_000; i++) {
            // Zipf-like: item j with probability ~ 1/j
            String item = "p" + (int) Math.floor(Math.exp(rnd.nextDouble() * Math.log(5000)));
            truth.merge(item, 1L, Long::sum);
            (i % 2 == 0 ? left : right).add(item);
        }
        FrequentItems f = left.merge(right);
        assertThat(f.streamLength()).isEqualTo(100_000);
        assertThat(f.counts().size()).isLessThanOrEqualTo(64);
        for (Map.Entry<String, Long> e : f.counts().entrySet()) {
            long t = truth.get(e.getKey());
            assertThat(e.getValue())
                    .isLessThanOrEqualTo(t)
                    .isGreaterThanOrEqualTo(t - f.maxError());
        }
        // the true top 3 are far above the error: they are found, in order
        String[] trueTop =
                truth.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(3)
                        .map(Map.Entry::getKey)
                        .toArray(String[]::new);
        assertThat(f.top(3).stream().map(Map.Entry::getKey)).containsExactly(trueTop);

        FrequentItems small = new FrequentItems(64);
        small.add("a", 5);
        small.add("b");
        assertThat(small.top(5)).containsExactly(Map.entry("a", 5L), Map.entry("b", 1L));
        assertThat(small.maxError()).isZero();
    }

    @Test
    void kllIsExactUpToKAndWithinRankErrorBeyond() {
        KllQuantiles s = new KllQuantiles(200);
        for (int i = 200; i >= 1; i--) {
            s.add(i);
        }
        assertThat(s.quantiles(new double[] {0, 0.005, 0.5, 0.995, 1}))
                .containsExactly(1, 1, 100, 199, 200);

        int n = 1_000_000;
        KllQuantiles[] parts = {
            new KllQuantiles(200), new KllQuantiles(200), new KllQuantiles(200)
        };
        Random rnd = new Random(5);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (int i = 0; i < n; i++) {
            parts[i % 3].add(perm[i]);
        }
        KllQuantiles merged = parts[0].merge(parts[1]).merge(parts[2]);
        assertThat(merged.count()).isEqualTo(n);
        double[] ranks = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99};
        double[] q = merged.quantiles(ranks);
        for (int i = 0; i < ranks.length; i++) {
            // values are 0..n-1, so value / n is the true rank
            assertThat(Math.abs(q[i] / n - ranks[i]))
                    .as("rank %s got %s", ranks[i], q[i])
                    .isLessThan(0.02);
        }
        assertThat(merged.quantiles(new double[] {0, 1})).containsExactly(0, n - 1);
    }

    @Test
    void serializedFormsRoundTripAndRejectCorruptState() throws IOException {
        KllQuantiles k = new KllQuantiles(50);
        for (int i = 0; i < 1000; i++) {
            k.add(i % 77);
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        k.writeTo(out);
        KllQuantiles back = KllQuantiles.readFrom(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(k);
        assertThat(back.quantiles(new double[] {0.5})).isEqualTo(k.quantiles(new double[] {0.5}));

        byte[] bytes = out.getCopyOfBuffer();
        bytes[0] = 9;
        assertThatThrownBy(() -> KllQuantiles.readFrom(new DataInputDeserializer(bytes)))
                .hasMessage("KLL state of version 9, this build reads version 1");
        byte[] hll = {1, 12, 0, 0x7f, 0, 0, 0};
        assertThatThrownBy(() -> HyperLogLog.readFrom(new DataInputDeserializer(hll)))
                .hasMessage("HyperLogLog state with 2130706432 exact hashes: corrupt");
        byte[] items = Arrays.copyOf(new byte[] {1, 0, 0, 0, 1}, 25);
        assertThatThrownBy(() -> FrequentItems.readFrom(new DataInputDeserializer(items)))
                .hasMessage("frequent items state with capacity 1: corrupt");
    }
}
