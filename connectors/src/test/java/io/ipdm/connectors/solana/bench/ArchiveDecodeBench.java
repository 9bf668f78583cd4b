package io.ipdm.connectors.solana.bench;

import io.ipdm.connectors.lakes.faithful.FaithfulNodes;
import io.ipdm.connectors.lakes.faithful.OldFaithfulNodes;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.archive.ArchiveDiscovery;
import io.ipdm.connectors.solana.archive.ArchiveOptions;
import io.ipdm.connectors.solana.archive.ArchiveRange;
import io.ipdm.connectors.solana.archive.SectionStream;
import io.ipdm.connectors.solana.archive.reader.ArchiveReader;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.connectors.solana.block.SourceFilter;
import io.ipdm.connectors.solana.testutils.TestReaderContext;
import io.ipdm.multiformats.Cid;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.types.Row;

/**
 * Old Faithful decode throughput on one thread, in one run, over an archive (e.g. from {@code ipdm
 * solana gen-car}), rows of the transactions table:
 *
 * <ul>
 *   <li>{@code old}: the decoder this branch replaced (each transaction rebuilt as getBlock JSON
 *       and decoded by the getBlock decoder; {@code lakes/faithful/Old*}, test scope only);
 *   <li>{@code new}: the old-faithful source's reader, every column;
 *   <li>{@code new, job columns}: the columns {@code jobs/solana-program-activity.yaml} reads
 *       (block_time, is_vote, program_ids, success: of the metadata only the status, read from the
 *       first byte its frame inflates to, the frame itself not inflated);
 *   <li>{@code new, no metadata}: transaction columns that need no metadata (never inflated);
 *   <li>{@code new, job columns + job filter}: the job's columns with its {@code !is_vote} filter
 *       pushed down into the reader (as the compiler does: a vote's metadata is never inflated, its
 *       row never made); counted in transactions read, kept or dropped (the condition here is a
 *       Java test of {@code is_vote}; the compiler's is the compiled CEL condition).
 * </ul>
 *
 * Each runs {@code -Dbench.seconds} (default 20) of the thread's CPU time after a warm-up of its
 * own ({@code -Dbench.warmup}, default 5 CPU-seconds; {@code -Dbench.only=TEXT} runs the modes
 * whose name contains it). Both are counted in the thread's CPU time (ThreadMXBean), not wall time,
 * so on a shared machine the JIT gets the same warm-up and the per-CPU-second rate holds.
 * Read-ahead is off, so the archive reads are on the measured thread too.
 *
 * <pre>java ... io.ipdm.connectors.solana.bench.ArchiveDecodeBench /tmp/bench.car</pre>
 */
public final class ArchiveDecodeBench {
    private ArchiveDecodeBench() {}

    static final List<String> JOB = List.of("block_time", "is_vote", "program_ids", "success");
    static final List<String> NO_META = List.copyOf(Projection.metadataFreeTransactionColumns());

    interface Mode {
        /** Decodes until the thread's CPU time passes the deadline or the end; returns txs. */
        long run(long cpuDeadlineNanos) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        long seconds = Long.getLong("bench.seconds", 20);
        long warmup = Long.getLong("bench.warmup", 5);
        ArchiveOptions dflt = ArchiveOptions.of(List.of(args[0]));
        ArchiveOptions o =
                dflt.with(
                        dflt.indexDir(),
                        dflt.splitBlocks(),
                        dflt.maxAttempts(),
                        dflt.initialBackoff(),
                        dflt.requestTimeout(),
                        ArchiveOptions.Prefetch.OFF,
                        dflt.chunkBytes());
        List<ArchiveSplit> splits = new ArrayList<>(ArchiveDiscovery.discover(o).splits());
        splits.sort(Comparator.comparingLong(ArchiveSplit::firstSlot));
        Map<String, Mode> modes = new java.util.LinkedHashMap<>();
        modes.put("old (getBlock JSON rebuild)", d -> old(o, splits, d));
        modes.put(
                "new, every column",
                d -> reader(o, splits, Projection.all(SolanaTable.TRANSACTIONS), d));
        modes.put(
                "new, job columns " + JOB,
                d -> reader(o, splits, Projection.of(SolanaTable.TRANSACTIONS, JOB), d));
        modes.put(
                "new, no-metadata columns",
                d -> reader(o, splits, Projection.of(SolanaTable.TRANSACTIONS, NO_META), d));
        modes.put(
                "new, job columns + job filter !is_vote",
                d -> filtered(o, splits, Projection.of(SolanaTable.TRANSACTIONS, JOB), d));
        String only = System.getProperty("bench.only", "");
        for (Map.Entry<String, Mode> m : modes.entrySet()) {
            if (!m.getKey().contains(only)) {
                continue;
            }
            measure(m.getKey() + " warm-up", m.getValue(), warmup);
            measure(m.getKey(), m.getValue(), seconds);
        }
    }

    private static void measure(String label, Mode mode, long seconds) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long n = mode.run(cpu0 + seconds * 1_000_000_000L);
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        // CPU time is what a core delivers when the machine is shared; wall time is what was seen
        System.out.printf(
                "%-48s %,10d tx in %5.1f s wall, %5.1f s CPU = %,9.0f tx/s wall, %,9.0f tx per"
                        + " CPU-second%n",
                label, n, s, cpu, n / s, n / cpu);
    }

    private static long reader(
            ArchiveOptions o, List<ArchiveSplit> splits, Projection p, long deadline)
            throws Exception {
        ArchiveReader r = new ArchiveReader(new TestReaderContext(), p, o);
        r.addSplits(splits);
        r.notifyNoMoreSplits();
        CountingOutput out = new CountingOutput();
        long polls = 0;
        while (r.pollNext(out) != InputStatus.END_OF_INPUT) {
            if ((++polls & 63) == 0 && cpuNanos() >= deadline) {
                break;
            }
        }
        r.close();
        return out.n;
    }

    /** Transactions the pushed-down condition was asked about (each once), by this thread. */
    private static long asked;

    private static long filtered(
            ArchiveOptions o, List<ArchiveSplit> splits, Projection p, long deadline)
            throws Exception {
        int vote = p.columns().indexOf("is_vote");
        Projection withFilter =
                p.withFilter(
                        new SourceFilter(
                                "!is_vote",
                                List.of("is_vote"),
                                row -> {
                                    asked++;
                                    return Boolean.TRUE.equals(row.getField(vote));
                                }));
        asked = 0;
        long rows = reader(o, splits, withFilter, deadline);
        System.out.printf("  (%,d rows emitted of %,d transactions read)%n", rows, asked);
        return asked;
    }

    /** The replaced path: sections, dag-cbor lists, getBlock JSON, the getBlock decoder. */
    private static long old(ArchiveOptions o, List<ArchiveSplit> splits, long deadline)
            throws Exception {
        long n = 0;
        Map<Cid, List<?>> pending = new HashMap<>();
        for (ArchiveSplit split : splits) {
            try (ArchiveRange range = ArchiveRange.open(split.location(), o);
                    SectionStream s = new SectionStream(range, o, split.start(), split.end())) {
                for (SectionStream.Section sec = s.next(); sec != null; sec = s.next()) {
                    List<?> node = FaithfulNodes.decode(sec.cid(), sec.data(), range.name());
                    int kind = FaithfulNodes.kind(node);
                    if (kind != FaithfulNodes.BLOCK) {
                        pending.put(sec.cid(), node);
                        continue;
                    }
                    SolanaBlock b =
                            OldFaithfulNodes.decodeBlock(
                                    node, pending::get, FaithfulNodes.ZERO_HASH, range.name());
                    pending.clear();
                    n += SolanaRows.rows(b, SolanaTable.TRANSACTIONS).size();
                    if (cpuNanos() >= deadline) {
                        return n;
                    }
                }
            }
        }
        return n;
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Counts rows without keeping them. */
    private static final class CountingOutput
            implements org.apache.flink.api.connector.source.ReaderOutput<Row> {
        long n;

        @Override
        public void collect(Row record) {
            n++;
        }

        @Override
        public void collect(Row record, long timestamp) {
            n++;
        }

        @Override
        public void emitWatermark(org.apache.flink.api.common.eventtime.Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public org.apache.flink.api.connector.source.SourceOutput<Row> createOutputForSplit(
                String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
