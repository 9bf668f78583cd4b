package io.ipdm.lakes.bitswap;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.ipld.UnixFsFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded test DAGs. */
final class Dags {
    private Dags() {}

    /** A UnixFS file of {@code chunks} random chunks of {@code chunkBytes}; root last. */
    static List<Block> file(long seed, int chunks, int chunkBytes) {
        Random rnd = new Random(seed);
        List<byte[]> cs = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            byte[] c = new byte[chunkBytes];
            rnd.nextBytes(c);
            cs.add(c);
        }
        return UnixFsFile.build(cs);
    }

    static Block root(List<Block> file) {
        return file.get(file.size() - 1);
    }
}
