package io.ipdm.dataflow.compile.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTablesTest {
    private static final List<String> NAMES = List.of("mint", "symbol", "decimals");
    private static final List<String> TYPES = List.of("STRING", "STRING", "INT");

    @Test
    void csvColumnsByHeaderNameQuotedCellsAndEmptyAsNull(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mints.csv");
        Files.writeString(
                f, "decimals,mint,symbol\n6,EPj,\"US, \"\"D\"\"C\"\n,So1,\n\n9,Es9,USDT\n");
        List<Object[]> rows = FileTables.read(f, NAMES, TYPES);
        assertThat(rows)
                .containsExactly(
                        new Object[] {"EPj", "US, \"D\"C", 6},
                        new Object[] {"So1", null, null},
                        new Object[] {"Es9", "USDT", 9});
    }

    @Test
    void jsonLinesByFieldName(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mints.jsonl");
        Files.writeString(
                f,
                "{\"mint\":\"EPj\",\"symbol\":\"USDC\",\"decimals\":6}\n{\"mint\":\"So1\",\"decimals\":null}\n");
        assertThat(FileTables.read(f, NAMES, TYPES))
                .containsExactly(new Object[] {"EPj", "USDC", 6}, new Object[] {"So1", null, null});
    }

    @Test
    void badCellNamesFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mints.csv");
        Files.writeString(f, "mint,symbol,decimals\nEPj,USDC,6\nSo1,wSOL,nine\n");
        assertThatThrownBy(() -> FileTables.read(f, NAMES, TYPES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mints.csv:3: column decimals: 'nine' is not an INT");
    }

    @Test
    void missingColumnAndMissingFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mints.csv");
        Files.writeString(f, "mint,name\nEPj,USDC\n");
        assertThatThrownBy(() -> FileTables.read(f, NAMES, TYPES))
                .hasMessage(
                        "mints.csv:1: no column 'symbol' in the header line; it has mint, name");
        assertThatThrownBy(() -> FileTables.read(dir.resolve("none.csv"), NAMES, TYPES))
                .hasMessageEndingWith(
                        "none.csv does not exist; paths are relative to the pipeline file");
    }

    @Test
    void unclosedQuote(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "mint,symbol,decimals\n\"EPj,USDC,6\n");
        assertThatThrownBy(() -> FileTables.read(f, NAMES, TYPES))
                .hasMessage("t.csv:2: a quoted cell is not closed");
    }
}
