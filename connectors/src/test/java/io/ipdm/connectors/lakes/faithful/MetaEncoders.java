package io.ipdm.connectors.lakes.faithful;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * Test-side encoders of a getBlock {@code meta} into the layouts Old Faithful stores, written from
 * {@code confirmed_block.proto} and Rust bincode, independently of the decoders under test.
 */
final class MetaEncoders {
    /** InstructionError variant numbers of the errors the fixtures use (declaration order). */
    private static final Map<String, Integer> INSTRUCTION_ERRORS =
            Map.of(
                    "InvalidAccountData", 3,
                    "InsufficientFunds", 5,
                    "ProgramFailedToComplete", 40,
                    "IllegalOwner", 49);

    private MetaEncoders() {}

    /** {@code TransactionStatusMeta} as prost writes it (packed balances). */
    static byte[] proto(JsonNode meta) {
        ProtoWriter w = new ProtoWriter();
        if (!meta.get("err").isNull()) {
            w.message(1, new ProtoWriter().bytes(1, bincodeError(meta.get("err"))));
        }
        w.uint64(2, meta.get("fee").asLong());
        w.bytes(3, packed(meta.get("preBalances")));
        w.bytes(4, packed(meta.get("postBalances")));
        for (JsonNode group : meta.get("innerInstructions")) {
            ProtoWriter g = new ProtoWriter().uint64(1, group.get("index").asLong());
            for (JsonNode ix : group.get("instructions")) {
                ProtoWriter i = new ProtoWriter().uint64(1, ix.get("programIdIndex").asLong());
                i.bytes(2, accounts(ix.get("accounts")));
                i.bytes(3, Base58.decode(ix.get("data").asText()));
                if (ix.hasNonNull("stackHeight")) {
                    i.uint64(4, ix.get("stackHeight").asLong());
                }
                g.message(2, i);
            }
            w.message(5, g);
        }
        for (JsonNode log : meta.get("logMessages")) {
            w.string(6, log.asText());
        }
        tokenBalances(w, 7, meta.get("preTokenBalances"));
        tokenBalances(w, 8, meta.get("postTokenBalances"));
        for (JsonNode a : meta.get("loadedAddresses").get("writable")) {
            w.bytes(12, Base58.decode(a.asText()));
        }
        for (JsonNode a : meta.get("loadedAddresses").get("readonly")) {
            w.bytes(13, Base58.decode(a.asText()));
        }
        if (meta.hasNonNull("computeUnitsConsumed")) {
            w.uint64(16, meta.get("computeUnitsConsumed").asLong());
        }
        return w.toByteArray();
    }

    private static void tokenBalances(ProtoWriter w, int field, JsonNode list) {
        for (JsonNode b : list) {
            JsonNode ui = b.get("uiTokenAmount");
            ProtoWriter amount =
                    new ProtoWriter()
                            .uint64(2, ui.get("decimals").asLong())
                            .string(3, ui.get("amount").asText())
                            .string(4, ui.get("uiAmountString").asText());
            ProtoWriter t =
                    new ProtoWriter()
                            .uint64(1, b.get("accountIndex").asLong())
                            .string(2, b.get("mint").asText())
                            .message(3, amount);
            if (b.hasNonNull("owner")) {
                t.string(4, b.get("owner").asText());
            }
            if (b.hasNonNull("programId")) {
                t.string(5, b.get("programId").asText());
            }
            w.message(field, t);
        }
    }

    /** Bincode {@code TransactionError}: u32 LE variant tag, then the variant's fields. */
    static byte[] bincodeError(JsonNode err) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonNode pair = err.get("InstructionError");
        if (pair == null) {
            throw new IllegalArgumentException("fixture error not covered: " + err);
        }
        u32(out, 8);
        out.write(pair.get(0).asInt());
        JsonNode inner = pair.get(1);
        if (inner.isObject() && inner.has("Custom")) {
            u32(out, 25);
            u32(out, inner.get("Custom").asLong());
        } else {
            Integer tag = INSTRUCTION_ERRORS.get(inner.asText());
            if (tag == null) {
                throw new IllegalArgumentException("fixture error not covered: " + err);
            }
            u32(out, tag);
        }
        return out.toByteArray();
    }

    static void u32(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    static void u64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static byte[] packed(JsonNode list) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode n : list) {
            long v = n.asLong();
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
        return out.toByteArray();
    }

    private static byte[] accounts(JsonNode list) {
        byte[] a = new byte[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) list.get(i).asInt();
        }
        return a;
    }
}
