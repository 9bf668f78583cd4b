package io.ipdm.connectors.lakes.faithful;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.multiformats.Base58;
import java.math.BigDecimal;

/**
 * BENCHMARK BASELINE ONLY (test scope, with the other {@code Old*} classes): the Old Faithful path
 * before the direct decoder, which rebuilt each transaction's getBlock JSON and decoded that.
 * Builds the pieces of a getBlock {@code meta} object (json encoding) from decoded fields.
 */
final class OldMetaJson {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] REWARD_TYPES = {"Fee", "Rent", "Staking", "Voting"};

    private OldMetaJson() {}

    /** A bincode {@code TransactionError} as a JSON node (the main reader gives its text). */
    static JsonNode error(BincodeReader in) {
        try {
            return JSON.readTree(TransactionErrors.read(in));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A meta with the fields every layout has; the optional ones default to getBlock's "none". */
    static ObjectNode base(JsonNode err, long fee) {
        ObjectNode meta = F.objectNode();
        meta.set("err", err == null ? F.nullNode() : err);
        ObjectNode status = meta.putObject("status");
        if (err == null) {
            status.putNull("Ok");
        } else {
            status.set("Err", err);
        }
        meta.put("fee", fee);
        meta.putArray("preBalances");
        meta.putArray("postBalances");
        meta.putArray("innerInstructions");
        meta.putArray("logMessages");
        meta.putArray("preTokenBalances");
        meta.putArray("postTokenBalances");
        meta.putArray("rewards");
        ObjectNode loaded = meta.putObject("loadedAddresses");
        loaded.putArray("writable");
        loaded.putArray("readonly");
        return meta;
    }

    static ObjectNode instruction(int programIdIndex, byte[] accounts, byte[] data, Long height) {
        ObjectNode ix = F.objectNode();
        ix.put("programIdIndex", programIdIndex);
        ArrayNode acc = ix.putArray("accounts");
        for (byte a : accounts) {
            acc.add(a & 0xFF);
        }
        ix.put("data", Base58.encode(data));
        if (height != null) {
            ix.put("stackHeight", height);
        } else {
            ix.putNull("stackHeight");
        }
        return ix;
    }

    static ObjectNode tokenBalance(
            int accountIndex,
            String mint,
            String owner,
            String programId,
            String amount,
            int decimals,
            String uiAmountString) {
        ObjectNode b = F.objectNode();
        b.put("accountIndex", accountIndex);
        b.put("mint", mint);
        if (owner != null && !owner.isEmpty()) {
            b.put("owner", owner);
        }
        if (programId != null && !programId.isEmpty()) {
            b.put("programId", programId);
        }
        ObjectNode ui = b.putObject("uiTokenAmount");
        ui.put("amount", amount);
        ui.put("decimals", decimals);
        String text = uiAmountString;
        if (text == null || text.isEmpty()) {
            text =
                    new BigDecimal(amount.isEmpty() ? "0" : amount)
                            .movePointLeft(decimals)
                            .stripTrailingZeros()
                            .toPlainString();
        }
        ui.put("uiAmountString", text);
        ui.put("uiAmount", Double.parseDouble(text));
        return b;
    }

    /** {@code type} is 1-based as in the protobuf enum (0 = unspecified). */
    static ObjectNode reward(String pubkey, long lamports, long postBalance, int type, Integer c) {
        ObjectNode r = F.objectNode();
        r.put("pubkey", pubkey);
        r.put("lamports", lamports);
        r.put("postBalance", postBalance);
        if (type >= 1 && type <= REWARD_TYPES.length) {
            r.put("rewardType", REWARD_TYPES[type - 1]);
        } else {
            r.putNull("rewardType");
        }
        if (c != null) {
            r.put("commission", c);
        } else {
            r.putNull("commission");
        }
        return r;
    }

    static ObjectNode returnData(byte[] programId, byte[] data) {
        ObjectNode rd = F.objectNode();
        rd.put("programId", Base58.encode(programId));
        ArrayNode d = rd.putArray("data");
        d.add(java.util.Base64.getEncoder().encodeToString(data));
        d.add("base64");
        return rd;
    }
}
