package io.ipdm.lakes.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowArchiveTest {

    @Test
    void rowOrderDoesNotChangeTheRootAndRowsReadBack() {
        List<List<Object>> rows = new ArrayList<>();
        for (long i = 0; i < 2500; i++) {
            rows.add(List.of("key-" + (i % 7), i, i * 0.5));
        }
        List<Block> a = WindowArchive.encode(0, 60_000, List.of("k", "n", "x"), rows);
        List<List<Object>> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new java.util.Random(1));
        List<Block> b = WindowArchive.encode(0, 60_000, List.of("k", "n", "x"), shuffled);
        assertThat(a.get(a.size() - 1).cid()).isEqualTo(b.get(b.size() - 1).cid());
        assertThat(a).hasSize(3 + 1);
        Map<Cid, Block> blocks = new HashMap<>();
        a.forEach(x -> blocks.put(x.cid(), x));
        BlockSource source = blocks::get;
        WindowArchive.Window w = WindowArchive.read(source, a.get(a.size() - 1).cid());
        assertThat(w.windowEnd()).isEqualTo(60_000);
        assertThat(w.fields()).containsExactly("k", "n", "x");
        assertThat(w.rows()).containsExactlyInAnyOrderElementsOf(rows);
    }

    @Test
    void rejectsRowsOfTheWrongWidth() {
        assertThatThrownBy(
                        () -> WindowArchive.encode(0, 1, List.of("a", "b"), List.of(List.of(1L))))
                .isInstanceOf(LakesException.class)
                .hasMessage("window row has 1 values for 2 fields [a, b]");
    }
}
