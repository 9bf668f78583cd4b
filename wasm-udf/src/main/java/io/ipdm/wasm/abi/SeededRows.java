package io.ipdm.wasm.abi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rows of a {@link BatchSchema} drawn from a seeded generator: the same seed gives the same rows,
 * so {@code ipdm wasm test} and the determinism check feed a module identical input twice. Values
 * cover each type's edges (0, -1, the extremes, empty strings and lists, multi-byte UTF-8); a
 * nullable column is null in about one row of eight.
 */
public final class SeededRows {
    private static final String[] WORDS = {
        "",
        "a",
        "Vote111111111111111111111111111111111111111",
        "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4",
        "11111111111111111111111111111111",
        "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
        "ComputeBudget111111111111111111111111111111",
        "héllo",
        "日本",
        "\uD83D\uDE00"
    };

    private SeededRows() {}

    /** {@code rows} rows for {@code schema}, each an array of column values (see ArrowValues). */
    public static List<Object[]> generate(BatchSchema schema, int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Object[]> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            Object[] row = new Object[schema.size()];
            for (int c = 0; c < schema.size(); c++) {
                Column col = schema.column(c);
                row[c] =
                        col.nullable() && random.nextInt(8) == 0 ? null : value(col.type(), random);
            }
            out.add(row);
        }
        return out;
    }

    private static Object value(ColumnType t, SplittableRandom random) {
        return switch (t) {
            case INT32 ->
                    switch (random.nextInt(8)) {
                        case 0 -> 0;
                        case 1 -> -1;
                        case 2 -> Integer.MAX_VALUE;
                        case 3 -> Integer.MIN_VALUE;
                        default -> random.nextInt(-1_000_000, 1_000_000);
                    };
            case INT64, UINT64 ->
                    switch (random.nextInt(8)) {
                        case 0 -> 0L;
                        case 1 -> -1L;
                        case 2 -> Long.MAX_VALUE;
                        case 3 -> Long.MIN_VALUE;
                        default -> random.nextLong(0, 10_000_000_000L);
                    };
            case FLOAT64 ->
                    switch (random.nextInt(8)) {
                        case 0 -> 0.0;
                        case 1 -> -0.0;
                        case 2 -> 1e300;
                        case 3 -> random.nextDouble(-1.0, 1.0);
                        default -> random.nextDouble(0, 1_000_000);
                    };
            case BOOL -> random.nextBoolean();
            case UTF8 -> word(random);
            case BINARY -> bytes(random, random.nextInt(0, 48));
            case FIXED_BINARY_32 -> bytes(random, 32);
            case TIMESTAMP -> Instant.ofEpochMilli(random.nextLong(0, 2_000_000_000_000L));
            case LIST_UTF8 -> {
                int n = random.nextInt(0, 5);
                List<String> items = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    items.add(word(random));
                }
                yield items;
            }
        };
    }

    private static String word(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            return WORDS[random.nextInt(WORDS.length)];
        }
        byte[] b = new byte[random.nextInt(1, 24)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) random.nextInt('0', 'z' + 1);
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
