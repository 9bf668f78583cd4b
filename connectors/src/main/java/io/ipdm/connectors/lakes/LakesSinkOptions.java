package io.ipdm.connectors.lakes;

import java.io.Serializable;

/**
 * Where and how window results are written.
 *
 * @param lakeDir the lake directory on every TaskManager (shared storage for a cluster)
 * @param hotBytes hot tier size
 * @param coldArchiveBytes cold archive target size
 */
public record LakesSinkOptions(String lakeDir, long hotBytes, long coldArchiveBytes)
        implements Serializable {
    public LakesSinkOptions {
        if (lakeDir == null || lakeDir.isBlank()) {
            throw new IllegalArgumentException("lakes sink: lake directory (lake-dir) is required");
        }
    }

    public static LakesSinkOptions of(String lakeDir) {
        return new LakesSinkOptions(lakeDir, 64L << 20, 1L << 30);
    }
}
