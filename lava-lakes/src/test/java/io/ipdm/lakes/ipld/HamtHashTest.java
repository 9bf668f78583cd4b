package io.ipdm.lakes.ipld;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * HAMT name hashes against those js ipfs-unixfs (the importer and exporter Helia uses) computes
 * with {@code @multiformats/murmur3}: {@code murmur3128.encode(name).slice(0, 8).reverse()}, taken
 * once with node from the npm package, and the buckets a 256-wide shard files them under.
 */
class HamtHashTest {
    private static String hash(String name) {
        return HexFormat.of().formatHex(HamtHash.of(name.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void matchesJsIpfsUnixfs() {
        assertThat(hash("")).isEqualTo("0000000000000000");
        assertThat(hash("hello")).isEqualTo("029bbd41b3a7d8cb");
        assertThat(hash("file-42.txt")).isEqualTo("bb67861e58278ec6");
        assertThat(hash("a")).isEqualTo("897859f665555585");
    }

    @Test
    void bucketsTakeTheNextBitsMostSignificantFirst() {
        byte[] h = HamtHash.of("hello".getBytes(StandardCharsets.UTF_8));
        // h1 = 0xcbd8a7b341bd9b02 (the bytes reversed); js hamt-sharding takes bits from the
        // last byte backwards, i.e. from h1's most significant bit
        assertThat(HamtHash.bucket(h, 0, 8)).isEqualTo(0xcb);
        assertThat(HamtHash.bucket(h, 1, 8)).isEqualTo(0xd8);
        assertThat(HamtHash.bucket(h, 7, 8)).isEqualTo(0x02);
        assertThat(HamtHash.bucket(h, 8, 8)).isEqualTo(-1);
        assertThat(HamtHash.bucket(h, 0, 4)).isEqualTo(0xc);
        assertThat(HamtHash.bucket(h, 1, 4)).isEqualTo(0xb);
    }
}
