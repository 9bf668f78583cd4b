package io.ipdm.connectors.lakes.faithful;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtobufException;

/**
 * Solana's protobuf {@code TransactionStatusMeta} (storage-proto {@code confirmed_block.proto})
 * into getBlock's {@code meta}. Field numbers are that file's; {@code *_none} flags turn an empty
 * list into JSON null as the RPC does.
 */
final class OldProtoMeta {
    private static final String MSG = "TransactionStatusMeta";

    private OldProtoMeta() {}

    static ObjectNode decode(byte[] raw) {
        JsonNode err = null;
        long fee = 0;
        ArrayNode pre = OldMetaJson.F.arrayNode();
        ArrayNode post = OldMetaJson.F.arrayNode();
        ArrayNode inner = OldMetaJson.F.arrayNode();
        ArrayNode logs = OldMetaJson.F.arrayNode();
        ArrayNode preTok = OldMetaJson.F.arrayNode();
        ArrayNode postTok = OldMetaJson.F.arrayNode();
        ArrayNode rewards = OldMetaJson.F.arrayNode();
        ArrayNode writable = OldMetaJson.F.arrayNode();
        ArrayNode readonly = OldMetaJson.F.arrayNode();
        ObjectNode returnData = null;
        Long cu = null;
        boolean innerNone = false;
        boolean logsNone = false;
        ProtoReader r = new ProtoReader(raw, MSG);
        while (r.next()) {
            switch (r.field()) {
                case 1 -> err = error(r.bytes());
                case 2 -> fee = r.uint64();
                case 3 -> r.uint64s(pre::add);
                case 4 -> r.uint64s(post::add);
                case 5 -> inner.add(innerInstructions(r.bytes()));
                case 6 -> logs.add(r.string());
                case 7 -> preTok.add(tokenBalance(r.bytes()));
                case 8 -> postTok.add(tokenBalance(r.bytes()));
                case 9 -> rewards.add(reward(r.bytes()));
                case 10 -> innerNone = r.bool();
                case 11 -> logsNone = r.bool();
                case 12 -> writable.add(Base58.encode(r.bytes()));
                case 13 -> readonly.add(Base58.encode(r.bytes()));
                case 14 -> returnData = returnData(r.bytes());
                case 16 -> cu = r.uint64();
                default -> r.skip();
            }
        }
        ObjectNode meta = OldMetaJson.base(err, fee);
        meta.set("preBalances", pre);
        meta.set("postBalances", post);
        meta.set("innerInstructions", innerNone ? OldMetaJson.F.nullNode() : inner);
        meta.set("logMessages", logsNone ? OldMetaJson.F.nullNode() : logs);
        meta.set("preTokenBalances", preTok);
        meta.set("postTokenBalances", postTok);
        meta.set("rewards", rewards);
        ObjectNode loaded = (ObjectNode) meta.get("loadedAddresses");
        loaded.set("writable", writable);
        loaded.set("readonly", readonly);
        if (returnData != null) {
            meta.set("returnData", returnData);
        }
        if (cu != null) {
            meta.put("computeUnitsConsumed", cu);
        }
        return meta;
    }

    /** The {@code err} message wraps the bincode {@code TransactionError}. */
    private static JsonNode error(byte[] msg) {
        ProtoReader r = new ProtoReader(msg, "TransactionError");
        byte[] bincode = new byte[0];
        while (r.next()) {
            if (r.field() == 1) {
                bincode = r.bytes();
            } else {
                r.skip();
            }
        }
        BincodeReader in = new BincodeReader(bincode);
        JsonNode e = OldMetaJson.error(in);
        if (!in.atEnd()) {
            throw new ProtobufException(
                    "TransactionError: " + in.remaining() + " bytes after the error");
        }
        return e;
    }

    private static ObjectNode innerInstructions(byte[] msg) {
        ProtoReader r = new ProtoReader(msg, "InnerInstructions");
        ObjectNode group = OldMetaJson.F.objectNode();
        long index = 0;
        ArrayNode list = OldMetaJson.F.arrayNode();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> index = r.uint64();
                case 2 -> list.add(innerInstruction(r.bytes()));
                default -> r.skip();
            }
        }
        group.put("index", index);
        group.set("instructions", list);
        return group;
    }

    private static ObjectNode innerInstruction(byte[] msg) {
        ProtoReader r = new ProtoReader(msg, "InnerInstruction");
        int program = 0;
        byte[] accounts = new byte[0];
        byte[] data = new byte[0];
        Long height = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> program = (int) r.uint64();
                case 2 -> accounts = r.bytes();
                case 3 -> data = r.bytes();
                case 4 -> height = r.uint64();
                default -> r.skip();
            }
        }
        return OldMetaJson.instruction(program, accounts, data, height);
    }

    private static ObjectNode tokenBalance(byte[] msg) {
        ProtoReader r = new ProtoReader(msg, "TokenBalance");
        int account = 0;
        String mint = "";
        String owner = "";
        String program = "";
        String amount = "";
        int decimals = 0;
        String ui = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> account = (int) r.uint64();
                case 2 -> mint = r.string();
                case 3 -> {
                    ProtoReader a = new ProtoReader(r.bytes(), "UiTokenAmount");
                    while (a.next()) {
                        switch (a.field()) {
                            case 2 -> decimals = (int) a.uint64();
                            case 3 -> amount = a.string();
                            case 4 -> ui = a.string();
                            default -> a.skip(); // ui_amount (double) is re-derived from the string
                        }
                    }
                }
                case 4 -> owner = r.string();
                case 5 -> program = r.string();
                default -> r.skip();
            }
        }
        return OldMetaJson.tokenBalance(account, mint, owner, program, amount, decimals, ui);
    }

    static ObjectNode reward(byte[] msg) {
        ProtoReader r = new ProtoReader(msg, "Reward");
        String pubkey = "";
        long lamports = 0;
        long post = 0;
        int type = 0;
        String commission = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> pubkey = r.string();
                case 2 -> lamports = r.uint64(); // int64: two's complement in a 10-byte varint
                case 3 -> post = r.uint64();
                case 4 -> type = (int) r.uint64();
                case 5 -> commission = r.string();
                default -> r.skip();
            }
        }
        Integer c = commission.isEmpty() ? null : Integer.valueOf(commission);
        return OldMetaJson.reward(pubkey, lamports, post, type, c);
    }

    private static ObjectNode returnData(byte[] msg) {
        ProtoReader r = new ProtoReader(msg, "ReturnData");
        byte[] program = new byte[32];
        byte[] data = new byte[0];
        while (r.next()) {
            switch (r.field()) {
                case 1 -> program = r.bytes();
                case 2 -> data = r.bytes();
                default -> r.skip();
            }
        }
        return OldMetaJson.returnData(program, data);
    }
}
