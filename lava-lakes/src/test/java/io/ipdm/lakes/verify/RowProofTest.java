package io.ipdm.lakes.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.window.WindowArchive;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowProofTest {
    final Map<Cid, Block> blocks = new HashMap<>();
    final BlockSource source = blocks::get;
    final Cid root;

    RowProofTest() {
        List<List<Object>> rows = new ArrayList<>();
        for (long i = 0; i < 3000; i++) {
            rows.add(List.of("prog" + i, 0L, 60_000L, i * 3, i / 2.0));
        }
        List<Block> bs =
                WindowArchive.encode(
                        0,
                        60_000,
                        List.of("program_id", "window_start", "window_end", "txs", "avg"),
                        rows);
        bs.forEach(b -> blocks.put(b.cid(), b));
        root = bs.get(bs.size() - 1).cid();
    }

    @Test
    void aRowOfTheWindowHasAProofThatChecks() {
        Map<String, Object> row =
                RowProof.parseRow(
                        "{\"program_id\":\"prog2001\",\"window_start\":0,\"window_end\":60000,\"txs\":6003,\"avg\":1000.5}");
        RowProof p = RowProof.prove(source, root, row);
        assertThat(p.blocks()).hasSize(2);
        RowProof.Found f = p.check(row);
        assertThat(f.fields())
                .containsExactly("program_id", "window_start", "window_end", "txs", "avg");
        // an integral double given as an integer matches
        Map<String, Object> two =
                RowProof.parseRow(
                        "{\"program_id\":\"prog2\",\"window_start\":0,\"window_end\":60000,\"txs\":6,\"avg\":1}");
        assertThat(RowProof.prove(source, root, two).check(two)).isNotNull();
    }

    @Test
    void aTamperedRowFailsNamingTheField() {
        Map<String, Object> row =
                RowProof.parseRow(
                        "{\"program_id\":\"prog2001\",\"window_start\":0,\"window_end\":60000,\"txs\":6003,\"avg\":1000.5}");
        RowProof p = RowProof.prove(source, root, row);
        Map<String, Object> tampered = new java.util.LinkedHashMap<>(row);
        tampered.put("txs", 9999L);
        assertThatThrownBy(() -> p.check(tampered))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("row is not in chunk")
                .hasMessageContaining("differs in 'txs' (row says 9999, window has 6003)");
        assertThatThrownBy(() -> RowProof.prove(source, root, tampered))
                .hasMessageContaining("row is not in window " + root)
                .hasMessageContaining("'txs' (row says 9999, window has 6003)");
    }

    @Test
    void aProofWithSwappedOrAlteredBlocksFails() {
        Map<String, Object> row =
                RowProof.parseRow(
                        "{\"program_id\":\"prog1\",\"window_start\":0,\"window_end\":60000,\"txs\":3,\"avg\":0.5}");
        RowProof p = RowProof.prove(source, root, row);
        Block chunk = p.blocks().get(1);
        byte[] altered = chunk.data().clone();
        altered[altered.length - 1] ^= 1;
        RowProof bad =
                new RowProof(root, List.of(p.blocks().get(0), new Block(chunk.cid(), altered)));
        assertThatThrownBy(() -> bad.check(row))
                .hasMessageContaining("do not hash to " + chunk.cid());
        RowProof otherRoot = new RowProof(chunk.cid(), p.blocks());
        assertThatThrownBy(() -> otherRoot.check(row))
                .hasMessageContaining("does not hash to the root");
        assertThatThrownBy(() -> p.check(Map.of("program_id", "prog1")))
                .hasMessageContaining("row lacks fields [window_start, window_end, txs, avg]");
    }
}
