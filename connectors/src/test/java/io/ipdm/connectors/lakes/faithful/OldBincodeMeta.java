package io.ipdm.connectors.lakes.faithful;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The ledger's bincode {@code StoredTransactionStatusMeta}: {@code status: Result<(),
 * TransactionError>, fee, pre_balances, post_balances}, then fields added over time that older
 * writers left out (serde {@code default_on_eof}): inner instructions, log messages, token
 * balances, rewards, return data, compute units, cost units. A field absent at the end of the input
 * is "none"; bytes left after the last field mean this is not bincode.
 */
final class OldBincodeMeta {
    private OldBincodeMeta() {}

    static ObjectNode decode(byte[] raw) {
        BincodeReader in = new BincodeReader(raw);
        long status = in.u32();
        if (status > 1) {
            throw new MetaFormatException("status tag " + status + " is neither Ok nor Err");
        }
        JsonNode err = status == 1 ? OldMetaJson.error(in) : null;
        ObjectNode meta = OldMetaJson.base(err, in.u64());
        meta.set("preBalances", u64s(in));
        meta.set("postBalances", u64s(in));
        if (in.atEnd()) {
            meta.putNull("innerInstructions");
            meta.putNull("logMessages");
            return meta;
        }
        meta.set(
                "innerInstructions",
                in.option() ? innerInstructions(in) : OldMetaJson.F.nullNode());
        if (in.atEnd()) {
            meta.putNull("logMessages");
            return meta;
        }
        meta.set("logMessages", in.option() ? logs(in) : OldMetaJson.F.nullNode());
        if (!in.atEnd() && in.option()) {
            meta.set("preTokenBalances", tokenBalances(in));
        }
        if (!in.atEnd() && in.option()) {
            meta.set("postTokenBalances", tokenBalances(in));
        }
        if (!in.atEnd() && in.option()) {
            meta.set("rewards", rewards(in));
        }
        if (!in.atEnd() && in.option()) {
            meta.set("returnData", OldMetaJson.returnData(in.bytes(32), in.bytes(in.length(1))));
        }
        if (!in.atEnd() && in.option()) {
            meta.put("computeUnitsConsumed", in.u64());
        }
        if (!in.atEnd() && in.option()) {
            in.u64(); // cost units: not part of getBlock's meta
        }
        if (!in.atEnd()) {
            throw new MetaFormatException(in.remaining() + " bytes after the last field");
        }
        return meta;
    }

    private static ArrayNode u64s(BincodeReader in) {
        ArrayNode a = OldMetaJson.F.arrayNode();
        for (int i = in.length(8); i > 0; i--) {
            a.add(in.u64());
        }
        return a;
    }

    /** {@code Vec<InnerInstructions{index: u8, instructions: Vec<CompiledInstruction>}>}. */
    private static ArrayNode innerInstructions(BincodeReader in) {
        ArrayNode groups = OldMetaJson.F.arrayNode();
        for (int g = in.length(9); g > 0; g--) {
            ObjectNode group = groups.addObject();
            group.put("index", in.u8());
            ArrayNode list = group.putArray("instructions");
            for (int i = in.length(3); i > 0; i--) {
                int program = in.u8();
                byte[] accounts = in.bytes(in.shortVecLength());
                byte[] data = in.bytes(in.shortVecLength());
                list.add(OldMetaJson.instruction(program, accounts, data, null));
            }
        }
        return groups;
    }

    private static ArrayNode logs(BincodeReader in) {
        ArrayNode a = OldMetaJson.F.arrayNode();
        for (int i = in.length(8); i > 0; i--) {
            a.add(in.string());
        }
        return a;
    }

    /**
     * {@code StoredTransactionTokenBalance{account_index: u8, mint, ui_token_amount{ui_amount: f64,
     * decimals: u8, amount}}}; owner and program id came later than the bincode era.
     */
    private static ArrayNode tokenBalances(BincodeReader in) {
        ArrayNode a = OldMetaJson.F.arrayNode();
        for (int i = in.length(34); i > 0; i--) {
            int account = in.u8();
            String mint = in.string();
            in.u64(); // ui_amount (f64): re-derived from amount and decimals
            int decimals = in.u8();
            String amount = in.string();
            a.add(OldMetaJson.tokenBalance(account, mint, null, null, amount, decimals, null));
        }
        return a;
    }

    /**
     * {@code StoredExtendedReward{pubkey, lamports: i64, post_balance, reward_type, commission}}.
     */
    private static ArrayNode rewards(BincodeReader in) {
        ArrayNode a = OldMetaJson.F.arrayNode();
        for (int i = in.length(26); i > 0; i--) {
            String pubkey = in.string();
            long lamports = in.u64();
            long post = in.u64();
            int type = in.option() ? (int) in.u32() + 1 : 0;
            Integer commission = in.option() ? in.u8() : null;
            a.add(OldMetaJson.reward(pubkey, lamports, post, type, commission));
        }
        return a;
    }
}
