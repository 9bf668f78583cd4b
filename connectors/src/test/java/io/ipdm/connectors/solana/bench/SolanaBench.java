package io.ipdm.connectors.solana.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.connectors.solana.SolanaSourceDefinition;
import io.ipdm.connectors.solana.SolanaSources;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.connectors.solana.synthetic.SlotGenerator;
import io.ipdm.connectors.solana.synthetic.SyntheticOptions;
import io.ipdm.connectors.solana.wire.WireTransaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.Row;

/**
 * Throughput of the Solana decoders and the synthetic source, each next to a baseline measured in
 * the same run (the ratio is printed). Run by hand (see docs/solana.md); not a test.
 */
public final class SolanaBench {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static long sink;

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("ipdm.shared.data", "../shared/data"), "solana");
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
        boolean onlyE2e = Boolean.getBoolean("bench.onlyE2e");
        if (onlyE2e) {
            System.out.println("decode and generator benches skipped (bench.onlyE2e)");
        } else if (Files.isDirectory(data)) {
            decode(data.resolve("photon-getblock-base64/block_254170887.json"), "base64", seconds);
            decode(data.resolve("nyanbot-getblock-base58/block_326027759.json"), "base58", seconds);
            decode(data.resolve("chainstorage-getblock-json/client-block.json"), "json", seconds);
            decode(
                    data.resolve("chainstorage-getblock-json/client-block_v2.json"),
                    "jsonParsed",
                    seconds);
            wire(data.resolve("photon-getblock-base64/block_254170887.json"), seconds);
        } else {
            System.out.println("decode: skipped, no data at " + data);
        }
        for (SolanaTable t : SolanaTable.values()) {
            if (!onlyE2e) {
                generator(t, seconds);
            }
        }
        long tx = Long.parseLong(System.getProperty("bench.e2e.tx", "6000000"));
        for (int p = 1; p <= 2 && tx >= 1500; p++) {
            endToEnd(p, tx, false);
            endToEnd(p, tx, true);
        }
        System.out.println(sink == 42 ? "" : "done");
    }

    interface Work {
        /** Does one unit and returns how many items (transactions or rows) it covered. */
        long run() throws Exception;
    }

    /** Items per second over about {@code seconds}, after an equal warm-up. */
    static double rate(Work w, double seconds) throws Exception {
        for (long end = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < end; ) {
            sink += w.run();
        }
        long items = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            items += w.run();
            now = System.nanoTime();
        } while (now < end);
        return items / ((now - start) / 1e9);
    }

    static void decode(Path file, String encoding, double seconds) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int txs = GetBlockDecoder.decode(bytes, "bench", 1L).transactions().size();
        double parseOnly =
                rate(
                        () -> {
                            sink += MAPPER.readTree(bytes).size();
                            return txs;
                        },
                        seconds);
        double full =
                rate(
                        () ->
                                SolanaRows.rows(
                                                GetBlockDecoder.decode(bytes, "bench", 1L),
                                                SolanaTable.TRANSACTIONS)
                                        .size(),
                        seconds);
        System.out.printf(
                "decode %-10s %5d tx/block: getBlock -> transaction rows %,12.0f tx/s | baseline Jackson readTree only %,12.0f tx/s | ratio %.2f%n",
                encoding, txs, full, parseOnly, full / parseOnly);
    }

    static void wire(Path file, double seconds) throws Exception {
        JsonNode root = MAPPER.readTree(file.toFile());
        List<byte[]> raw = new ArrayList<>();
        for (JsonNode tx : root.get("transactions")) {
            raw.add(Base64.getDecoder().decode(tx.get("transaction").get(0).asText()));
        }
        double decode =
                rate(
                        () -> {
                            for (byte[] b : raw) {
                                sink += WireTransaction.decode(b).instructions().size();
                            }
                            return raw.size();
                        },
                        seconds);
        double copy =
                rate(
                        () -> {
                            for (byte[] b : raw) {
                                sink += b.clone().length;
                            }
                            return raw.size();
                        },
                        seconds);
        System.out.printf(
                "wire     WireTransaction.decode(byte[]) %,12.0f tx/s | baseline byte[] clone %,12.0f tx/s | ratio %.2f%n",
                decode, copy, decode / copy);
    }

    static void generator(SolanaTable table, double seconds) throws Exception {
        SyntheticOptions o = SyntheticOptions.builder().seed(1).build();
        SlotGenerator g = new SlotGenerator(o);
        long[] slot = {o.startSlot()};
        long[] rows = {0};
        SlotGenerator.RowSink count = (row, ts) -> rows[0]++;
        double tx = rate(() -> g.generate(slot[0]++, table, count), seconds);
        // Rows per transaction from a fixed sample, to report rows/s as well.
        long sampleTx = 0;
        long[] sampleRows = {0};
        for (long s = 0; s < 200; s++) {
            sampleTx += g.generate(o.startSlot() + s, table, (row, ts) -> sampleRows[0]++);
        }
        double rowRate = tx * sampleRows[0] / Math.max(1, sampleTx);
        int arity = table.arity();
        double baseline =
                rate(
                        () -> {
                            for (int i = 0; i < 1500; i++) {
                                Row r = Row.withPositions(arity);
                                r.setField(0, (long) i);
                                r.setField(1, "x");
                                count.accept(r, i);
                            }
                            return 1500;
                        },
                        seconds);
        System.out.printf(
                "generate %-22s %,12.0f tx/s = %,12.0f rows/s | baseline Row.withPositions(%d) %,12.0f rows/s | ratio %.2f%n",
                table.tableName(), tx, rowRate, arity, baseline, rowRate / baseline);
    }

    static void endToEnd(int parallelism, long transactions, boolean reuse) throws Exception {
        long slots = transactions / 1500;
        SyntheticOptions o =
                SyntheticOptions.builder()
                        .seed(1)
                        .startSlot(300_000_000L)
                        .endSlot(300_000_000L + slots)
                        .skippedSlotRate(0)
                        .build();
        SolanaSourceDefinition def = SolanaSources.synthetic(o, SolanaTable.TRANSACTIONS);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        if (reuse) {
            env.getConfig().enableObjectReuse();
        }
        env.fromSource(def.source(), WatermarkStrategy.noWatermarks(), "synthetic", def.rowType())
                .sinkTo(new DiscardingSink<>());
        long t0 = System.nanoTime();
        env.execute("synthetic-bench");
        double ours = slots * 1500 / ((System.nanoTime() - t0) / 1e9);

        StreamExecutionEnvironment env2 = StreamExecutionEnvironment.getExecutionEnvironment();
        env2.setParallelism(parallelism);
        if (reuse) {
            env2.getConfig().enableObjectReuse();
        }
        long n = slots * 1500;
        env2.fromSequence(1, n)
                .map(i -> Row.of(i, "x"))
                .returns(Types.ROW(Types.LONG, Types.STRING))
                .sinkTo(new DiscardingSink<>());
        long t1 = System.nanoTime();
        env2.execute("sequence-bench");
        double base = n / ((System.nanoTime() - t1) / 1e9);
        System.out.printf(
                "e2e p=%d objectReuse=%-5s synthetic transactions -> discard %,12.0f tx/s | baseline fromSequence -> Row -> discard %,12.0f rows/s | ratio %.2f (job start included, %,d tx)%n",
                parallelism, reuse, ours, base, ours / base, n);
    }
}
