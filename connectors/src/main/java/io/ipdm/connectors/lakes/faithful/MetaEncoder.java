package io.ipdm.connectors.lakes.faithful;

import com.fasterxml.jackson.databind.JsonNode;
import io.airlift.compress.zstd.ZstdCompressor;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * The inverse of {@link ProtoMeta}: getBlock's {@code meta} object as the zstd-compressed protobuf
 * {@code TransactionStatusMeta} Old Faithful stores in a transaction node's metadata frame, and a
 * block's {@code rewards} as the zstd-compressed protobuf {@code Rewards} of a Rewards node. Field
 * numbers are storage-proto's {@code confirmed_block.proto}; {@code ui_amount} (a double) is left
 * out because readers re-derive it from {@code ui_amount_string}.
 */
public final class MetaEncoder {
    private static final String[] REWARD_TYPES = {"Fee", "Rent", "Staking", "Voting"};

    private MetaEncoder() {}

    /** The metadata frame for {@code meta}; an empty frame for a null or missing meta. */
    public static byte[] encode(JsonNode meta) {
        if (meta == null || meta.isNull()) {
            return new byte[0];
        }
        ProtoWriter w = new ProtoWriter();
        JsonNode err = meta.get("err");
        if (err != null && !err.isNull()) {
            w.message(1, new ProtoWriter().bytes(1, TransactionErrors.write(err)));
        }
        w.uint64(2, meta.path("fee").asLong());
        w.bytes(3, packed(meta.get("preBalances")));
        w.bytes(4, packed(meta.get("postBalances")));
        JsonNode inner = meta.get("innerInstructions");
        if (inner != null && inner.isArray()) {
            for (JsonNode group : inner) {
                ProtoWriter g = new ProtoWriter().uint64(1, group.path("index").asLong());
                for (JsonNode ix : group.path("instructions")) {
                    g.message(2, instruction(ix));
                }
                w.message(5, g);
            }
        }
        JsonNode logs = meta.get("logMessages");
        if (logs != null && logs.isArray()) {
            for (JsonNode l : logs) {
                w.string(6, l.asText());
            }
        }
        for (JsonNode b : meta.path("preTokenBalances")) {
            w.message(7, tokenBalance(b));
        }
        for (JsonNode b : meta.path("postTokenBalances")) {
            w.message(8, tokenBalance(b));
        }
        for (JsonNode r : meta.path("rewards")) {
            w.message(9, reward(r));
        }
        if (inner == null || inner.isNull()) {
            w.bool(10, true);
        }
        if (logs == null || logs.isNull()) {
            w.bool(11, true);
        }
        JsonNode loaded = meta.path("loadedAddresses");
        for (JsonNode a : loaded.path("writable")) {
            w.bytes(12, Base58.decode(a.asText()));
        }
        for (JsonNode a : loaded.path("readonly")) {
            w.bytes(13, Base58.decode(a.asText()));
        }
        JsonNode rd = meta.get("returnData");
        if (rd != null && rd.isObject()) {
            w.message(
                    14,
                    new ProtoWriter()
                            .bytes(1, Base58.decode(rd.path("programId").asText()))
                            .bytes(
                                    2,
                                    Base64.getDecoder().decode(rd.path("data").path(0).asText())));
        }
        JsonNode cu = meta.get("computeUnitsConsumed");
        if (cu != null && cu.canConvertToLong()) {
            w.uint64(16, cu.asLong());
        }
        return zstd(w.toByteArray());
    }

    /** A block's {@code rewards} array as the data of a Rewards node; empty for none. */
    public static byte[] encodeRewards(JsonNode rewards) {
        if (rewards == null || !rewards.isArray() || rewards.isEmpty()) {
            return new byte[0];
        }
        ProtoWriter w = new ProtoWriter();
        for (JsonNode r : rewards) {
            w.message(1, reward(r));
        }
        return zstd(w.toByteArray());
    }

    private static ProtoWriter instruction(JsonNode ix) {
        ProtoWriter w = new ProtoWriter().uint64(1, ix.path("programIdIndex").asLong());
        ByteArrayOutputStream acc = new ByteArrayOutputStream();
        for (JsonNode a : ix.path("accounts")) {
            acc.write(a.asInt());
        }
        w.bytes(2, acc.toByteArray());
        w.bytes(3, Base58.decode(ix.path("data").asText()));
        JsonNode h = ix.get("stackHeight");
        if (h != null && h.canConvertToLong()) {
            w.uint64(4, h.asLong());
        }
        return w;
    }

    private static ProtoWriter tokenBalance(JsonNode b) {
        JsonNode ui = b.path("uiTokenAmount");
        ProtoWriter amount =
                new ProtoWriter()
                        .uint64(2, ui.path("decimals").asLong())
                        .string(3, ui.path("amount").asText())
                        .string(4, ui.path("uiAmountString").asText(""));
        return new ProtoWriter()
                .uint64(1, b.path("accountIndex").asLong())
                .string(2, b.path("mint").asText())
                .message(3, amount)
                .string(4, b.path("owner").asText(""))
                .string(5, b.path("programId").asText(""));
    }

    private static ProtoWriter reward(JsonNode r) {
        int type = 1 + Arrays.asList(REWARD_TYPES).indexOf(r.path("rewardType").asText());
        ProtoWriter w =
                new ProtoWriter()
                        .string(1, r.path("pubkey").asText())
                        .uint64(2, r.path("lamports").asLong())
                        .uint64(3, r.path("postBalance").asLong())
                        .uint64(4, type);
        JsonNode c = r.get("commission");
        if (c != null && !c.isNull()) {
            w.string(5, c.asText());
        }
        return w;
    }

    private static byte[] packed(JsonNode values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (values != null) {
            for (JsonNode v : values) {
                long x = v.asLong();
                while ((x & ~0x7FL) != 0) {
                    out.write((int) ((x & 0x7F) | 0x80));
                    x >>>= 7;
                }
                out.write((int) x);
            }
        }
        return out.toByteArray();
    }

    static byte[] zstd(byte[] raw) {
        ZstdCompressor c = new ZstdCompressor();
        byte[] out = new byte[c.maxCompressedLength(raw.length)];
        int n = c.compress(raw, 0, raw.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }
}
