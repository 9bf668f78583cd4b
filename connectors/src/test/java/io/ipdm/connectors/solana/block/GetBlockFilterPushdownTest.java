package io.ipdm.connectors.solana.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.testutils.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * Predicate push-down into the getBlock decoder ({@link FilteredRows#decoderFilter()}: a
 * transaction's {@code meta} is checked as JSON and read only when the transaction is kept) on
 * every real getBlock and getTransaction file, in every encoding: the kept rows are the full
 * decode's rows the filter does not drop, with their positions in the block.
 */
class GetBlockFilterPushdownTest {
    static final List<String> COLUMNS =
            List.of(
                    "block_time",
                    "fee",
                    "success",
                    "error",
                    "program_ids",
                    "inner_program_ids",
                    "is_vote",
                    "index",
                    "num_accounts",
                    "fee_payer");

    static Projection filtered(String what, Set<String> reads, SourceFilter.Condition c) {
        return Projection.of(SolanaTable.TRANSACTIONS, COLUMNS)
                .withFilter(new SourceFilter(what, reads, c));
    }

    static Projection nonVotes() {
        int at = Projection.of(SolanaTable.TRANSACTIONS, COLUMNS).columns().indexOf("is_vote");
        return filtered("!is_vote", Set.of("is_vote"), r -> Boolean.TRUE.equals(r.getField(at)));
    }

    private static List<String> text(List<Row> rows) {
        return rows.stream()
                .map(
                        r -> {
                            Object[] f = new Object[r.getArity()];
                            for (int i = 0; i < f.length; i++) {
                                f[i] = r.getField(i);
                            }
                            return Arrays.deepToString(f);
                        })
                .toList();
    }

    @Test
    void everyRealFileGivesTheFullDecodesRowsTheFilterKeeps() {
        Projection p = nonVotes();
        Projection plain = Projection.of(SolanaTable.TRANSACTIONS, COLUMNS);
        int vote = plain.columns().indexOf("is_vote");
        int index = plain.columns().indexOf("index");
        List<Path> files = SharedData.getBlockFiles();
        assertThat(files).hasSizeGreaterThan(6);
        long dropped = 0;
        long kept = 0;
        for (Path f : files) {
            FilteredRows rows = new FilteredRows(p);
            List<Row> got =
                    rows.rowsOfFiltered(
                            GetBlockDecoder.decodeFile(f, p, false, rows.decoderFilter()));
            SolanaBlock whole = GetBlockDecoder.decodeFile(f, plain);
            List<Row> all = SolanaRows.rows(whole, plain);
            List<Row> want = all.stream().filter(r -> !(Boolean) r.getField(vote)).toList();
            if (want.isEmpty() && !all.isEmpty()) {
                // every transaction dropped: the carrier, with the first one's metadata-free
                // columns
                assertThat(got).as(f.toString()).hasSize(1);
                assertThat(got.get(0).getField(vote)).isEqualTo(true);
                assertThat(got.get(0).getField(plain.columns().indexOf("fee"))).isNull();
                assertThat(rows.dropped()).isEqualTo(all.size() - 1);
            } else {
                assertThat(text(got)).as(f.toString()).isEqualTo(text(want));
                assertThat(rows.dropped()).isEqualTo(all.size() - want.size());
                int[] origins = rows.origins();
                // a row's position among the block's transactions (a getTransaction response's
                // one row is at 0, whatever its index in its block)
                for (int i = 0; i < got.size() && origins != null && whole.isBlock(); i++) {
                    assertThat(origins[i]).isEqualTo(got.get(i).getField(index));
                }
            }
            assertThat(rows.lastTransactions()).as(f.toString()).isEqualTo(all.size());
            dropped += rows.dropped();
            kept += got.size();
        }
        assertThat(dropped).isGreaterThan(1000);
        assertThat(kept).isGreaterThan(500);
    }

    /**
     * A vote's meta with a negative fee is checked as JSON but not decoded when the filter drops
     * the vote; a kept transaction's bad meta is still an error naming it.
     */
    @Test
    void aDroppedTransactionsMetaIsNotDecodedAKeptOnesIs() throws Exception {
        Path f = SharedData.fullBlocks().get(0);
        String json = Files.readString(f, StandardCharsets.UTF_8);
        Projection plain = Projection.of(SolanaTable.TRANSACTIONS, COLUMNS);
        SolanaBlock full = GetBlockDecoder.decodeFile(f, plain);
        int firstVote = -1;
        int firstOther = -1;
        for (SolanaTransaction tx : full.transactions()) {
            if (tx.isVote() && firstVote < 0) {
                firstVote = tx.index();
            }
            if (!tx.isVote() && firstOther < 0) {
                firstOther = tx.index();
            }
        }
        assertThat(firstVote).isGreaterThanOrEqualTo(0);
        assertThat(firstOther).isGreaterThanOrEqualTo(0);
        byte[] voteBad = withFee(json, firstVote, "-1");
        byte[] otherBad = withFee(json, firstOther, "-1");
        Long slot = GetBlockDecoder.slotFromFileName(f.getFileName().toString());
        Projection p = nonVotes();
        FilteredRows rows = new FilteredRows(p);
        SolanaBlock b =
                GetBlockDecoder.decode(voteBad, "x.json", slot, p, false, rows.decoderFilter());
        assertThat(rows.rowsOfFiltered(b)).isNotEmpty();
        assertThatThrownBy(() -> GetBlockDecoder.decode(voteBad, "x.json", slot, plain))
                .isInstanceOf(SolanaDecodeException.class)
                .hasMessageContaining("transaction " + firstVote + ": field \"meta.fee\"");
        FilteredRows rows2 = new FilteredRows(p);
        int other = firstOther;
        assertThatThrownBy(
                        () ->
                                GetBlockDecoder.decode(
                                        otherBad, "x.json", slot, p, false, rows2.decoderFilter()))
                .isInstanceOf(SolanaDecodeException.class)
                .hasMessageContaining(
                        "transaction "
                                + other
                                + ": field \"meta.fee\" must be a non-negative integer, got -1");
    }

    /** The getBlock text with transaction {@code index}'s {@code "fee":N} replaced. */
    private static byte[] withFee(String json, int index, String fee) {
        int at = json.indexOf("\"transactions\"");
        for (int i = 0; i <= index; i++) {
            at = json.indexOf("\"fee\":", at + 1);
        }
        int end = at + "\"fee\":".length();
        int stop = end;
        while (Character.isDigit(json.charAt(stop))) {
            stop++;
        }
        return (json.substring(0, end) + fee + json.substring(stop))
                .getBytes(StandardCharsets.UTF_8);
    }
}
