package io.ipdm.connectors.solana.bench;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.archive.ArchiveDiscovery;
import io.ipdm.connectors.solana.archive.ArchiveOptions;
import io.ipdm.connectors.solana.archive.reader.ArchiveReader;
import io.ipdm.connectors.solana.testutils.TestReaderContext;
import java.util.List;
import org.apache.flink.core.io.InputStatus;

/**
 * Old Faithful decode throughput on one thread: the old-faithful source's reader over an archive
 * (e.g. from {@code ipdm solana gen-car}), rows of the transactions table, for {@code
 * -Dbench.seconds} (default 20) after a 5 s warm-up. Prints transactions per second.
 *
 * <pre>java ... io.ipdm.connectors.solana.bench.ArchiveDecodeBench /tmp/bench.car</pre>
 */
public final class ArchiveDecodeBench {
    private ArchiveDecodeBench() {}

    public static void main(String[] args) throws Exception {
        long seconds = Long.getLong("bench.seconds", 20);
        ArchiveOptions o = ArchiveOptions.of(List.of(args[0]));
        var splits = ArchiveDiscovery.discover(o).splits();
        run(o, splits, 5, "warm-up");
        run(o, splits, seconds, "measured");
    }

    private static void run(
            ArchiveOptions o,
            List<io.ipdm.connectors.solana.archive.split.ArchiveSplit> splits,
            long seconds,
            String label)
            throws Exception {
        ArchiveReader r = new ArchiveReader(new TestReaderContext(), SolanaTable.TRANSACTIONS, o);
        r.addSplits(splits);
        r.notifyNoMoreSplits();
        CountingOutput out = new CountingOutput();
        java.lang.management.ThreadMXBean mx =
                java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long deadline = t0 + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline && r.pollNext(out) != InputStatus.END_OF_INPUT) {}
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        r.close();
        // CPU time is what a core delivers when the machine is shared; wall time is what was seen
        System.out.printf(
                "%s: %d transactions in %.1f s wall, %.1f s CPU = %.0f tx/s wall, %.0f tx per"
                        + " CPU-second (one thread)%n",
                label, out.n, s, cpu, out.n / s, out.n / cpu);
    }

    /** Counts rows without keeping them. */
    private static final class CountingOutput
            implements org.apache.flink.api.connector.source.ReaderOutput<
                    org.apache.flink.types.Row> {
        long n;

        @Override
        public void collect(org.apache.flink.types.Row record) {
            n++;
        }

        @Override
        public void collect(org.apache.flink.types.Row record, long timestamp) {
            n++;
        }

        @Override
        public void emitWatermark(org.apache.flink.api.common.eventtime.Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public org.apache.flink.api.connector.source.SourceOutput<org.apache.flink.types.Row>
                createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
