package io.ipdm.connectors.lakes.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.ipdm.multiformats.Base58;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TransactionMeta} inflates every frame into one reused buffer per thread and reads it
 * there: over the metadata of every transaction of a real block (602, large and small frames one
 * after the other, frames with and without their size in the header) and over seeded corruptions of
 * them, it gives what the replaced decoder ({@link OldTransactionMeta}: a fresh array per frame)
 * gives, and fails where that one fails.
 */
class TransactionMetaDifferentialTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SLOT = 254_170_887L;

    private static List<byte[]> realMetadata() throws IOException {
        Path p =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../../shared/data"),
                        "solana/photon-getblock-base64/block_" + SLOT + ".json");
        assumeTrue(Files.exists(p), "shared test data not found at " + p.toAbsolutePath());
        List<byte[]> out = new ArrayList<>();
        for (JsonNode item : JSON.readTree(p.toFile()).get("transactions")) {
            out.add(MetaEncoders.proto(item.get("meta")));
        }
        return out;
    }

    @Test
    void everyRealTransactionsMetadataDecodesAsTheReplacedDecoderDoes() throws IOException {
        List<byte[]> raws = realMetadata();
        assertThat(raws).hasSize(602);
        int failed = 0;
        for (int i = 0; i < raws.size(); i++) {
            byte[] raw = raws.get(i);
            for (byte[] frame : List.of(FaithfulCars.zstd(raw), sizeless(raw))) {
                JsonNode want = OldTransactionMeta.decode(frame, SLOT);
                for (int what : new int[] {0, TransactionMeta.ALL}) {
                    TransactionMeta got =
                            TransactionMeta.decode(frame, 0, frame.length, SLOT, what);
                    assertSame(got, want, what == TransactionMeta.ALL, "transaction " + i);
                }
            }
            failed +=
                    OldTransactionMeta.decode(FaithfulCars.zstd(raw), SLOT).get("err").isNull()
                            ? 0
                            : 1;
        }
        assertThat(failed).as("failed transactions (SOURCES.md)").isEqualTo(305);
    }

    /**
     * Corrupted metadata (a flipped byte, a cut) decoded in one long run on this thread (the buffer
     * holding the frames before it) gives what it gives on a fresh thread (a fresh buffer): the
     * same fields or the same error; and what the replaced decoder reads, the same fields. (That
     * one also parses rewards and return data, which no column reads and the decoder steps over: a
     * corruption only there fails it alone.)
     */
    @Test
    void seededCorruptionsDecodeAsOnAFreshBufferAndAsTheReplacedDecoderReadsThem()
            throws Exception {
        List<byte[]> raws = realMetadata();
        Random rnd = new Random(7);
        int failures = 0;
        for (int round = 0; round < 2000; round++) {
            byte[] raw = raws.get(rnd.nextInt(raws.size())).clone();
            if (rnd.nextBoolean()) {
                raw[rnd.nextInt(raw.length)] ^= (byte) (1 + rnd.nextInt(255));
            } else {
                raw = java.util.Arrays.copyOf(raw, rnd.nextInt(raw.length));
            }
            byte[] frame = FaithfulCars.zstd(raw);
            Object here = outcome(frame);
            Object[] fresh = new Object[1];
            Thread t = new Thread(() -> fresh[0] = outcome(frame));
            t.start();
            t.join();
            if (here instanceof String error) {
                assertThat(fresh[0]).as("round %d", round).isEqualTo(error);
                failures++;
                continue;
            }
            assertThat(fresh[0]).as("round %d", round).isInstanceOf(TransactionMeta.class);
            JsonNode want;
            try {
                want = OldTransactionMeta.decode(frame, SLOT);
            } catch (RuntimeException e) {
                continue; // a corruption in a field no column reads
            }
            assertSame((TransactionMeta) here, want, true, "round " + round);
            assertSame((TransactionMeta) fresh[0], want, true, "round " + round + ", fresh");
        }
        assertThat(failures).as("corruptions refused").isGreaterThan(100);
    }

    /** The decoded metadata, or the error's message. */
    private static Object outcome(byte[] frame) {
        try {
            return TransactionMeta.decode(frame, 0, frame.length, SLOT, TransactionMeta.ALL);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static void assertSame(TransactionMeta got, JsonNode want, boolean all, String what) {
        JsonNode err = want.get("err");
        assertThat(got.error()).as(what + " err").isEqualTo(err.isNull() ? null : err.toString());
        assertThat(got.fee()).as(what + " fee").isEqualTo(want.get("fee").asLong());
        JsonNode cu = want.get("computeUnitsConsumed");
        assertThat(got.computeUnits())
                .as(what + " compute units")
                .isEqualTo(cu == null || cu.isNull() ? null : cu.asLong());
        JsonNode loaded = want.get("loadedAddresses");
        assertThat(base58(got.loadedWritable()))
                .as(what + " loaded writable")
                .isEqualTo(texts(loaded.get("writable")));
        assertThat(base58(got.loadedReadonly()))
                .as(what + " loaded readonly")
                .isEqualTo(texts(loaded.get("readonly")));
        if (!all) {
            return;
        }
        assertThat(got.preBalances()).as(what + " pre").isEqualTo(longs(want.get("preBalances")));
        assertThat(got.postBalances())
                .as(what + " post")
                .isEqualTo(longs(want.get("postBalances")));
        JsonNode logs = want.get("logMessages");
        assertThat(got.logMessages())
                .as(what + " logs")
                .isEqualTo(logs.isNull() ? null : texts(logs));
        JsonNode inner = want.get("innerInstructions");
        assertThat(got.innerInstructions() == null ? -1 : got.innerInstructions().size())
                .as(what + " inner instruction groups")
                .isEqualTo(inner.isNull() ? -1 : inner.size());
        assertThat(got.preTokenBalances())
                .as(what + " pre token balances")
                .hasSameSizeAs(want.get("preTokenBalances"));
        assertThat(got.postTokenBalances())
                .as(what + " post token balances")
                .hasSameSizeAs(want.get("postTokenBalances"));
    }

    private static List<String> base58(List<byte[]> keys) {
        return keys.stream().map(Base58::encode).toList();
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static long[] longs(JsonNode list) {
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).asLong();
        }
        return out;
    }

    /** A frame as a streaming writer makes it: no content size in its header. */
    private static byte[] sizeless(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out)) {
            z.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] frame = out.toByteArray();
        assertThat(ZstdDecompressor.getDecompressedSize(frame, 0, frame.length))
                .as("a frame without its size")
                .isNegative();
        return frame;
    }
}
