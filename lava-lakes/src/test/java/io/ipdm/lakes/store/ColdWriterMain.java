package io.ipdm.lakes.store;

import io.ipdm.lakes.Block;
import io.ipdm.multiformats.Multicodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Child process for the crash test: writes deterministic blocks to a cold tier forever, printing
 * {@code ACK n} after each batch is acknowledged, until it is killed.
 */
public final class ColdWriterMain {
    static final int BATCH = 4;

    static Block block(long i) {
        Random r = new Random(1_000_003L * i + 17);
        byte[] data = new byte[16_384 + r.nextInt(49_152)];
        r.nextBytes(data);
        return Block.of(Multicodec.RAW, data);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long start = Long.parseLong(args[1]);
        ColdTier cold =
                new ColdTier(
                        new LocalArchiveStorage(dir.resolve("archives")),
                        dir.resolve("index"),
                        1 << 20);
        System.out.println("READY");
        System.out.flush();
        for (long batch = start; ; batch++) {
            List<Block> blocks = new ArrayList<>();
            for (int k = 0; k < BATCH; k++) {
                blocks.add(block(batch * BATCH + k));
            }
            cold.putAll(blocks);
            System.out.println("ACK " + batch);
            System.out.flush();
        }
    }
}
