package io.ipdm.connectors.lakes.faithful;

import io.ipdm.connectors.solana.block.InnerInstructions;
import io.ipdm.connectors.solana.block.Instruction;
import io.ipdm.connectors.solana.block.TokenBalance;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's bincode {@code StoredTransactionStatusMeta}: {@code status: Result<(),
 * TransactionError>, fee, pre_balances, post_balances}, then fields added over time that older
 * writers left out (serde {@code default_on_eof}): inner instructions, log messages, token
 * balances, rewards, return data, compute units, cost units. A field absent at the end of the input
 * is "none"; bytes left after the last field mean this is not bincode. Bincode has no lengths to
 * skip by, so every field is read; those not asked for are not kept.
 */
final class BincodeMeta {
    private BincodeMeta() {}

    /**
     * The metadata in {@code raw[0, length)} (a reused buffer: nothing decoded refers to it after).
     */
    static TransactionMeta decode(byte[] raw, int length, int what) {
        boolean keepRest = (what & TransactionMeta.LOGS_AND_BALANCES) != 0;
        BincodeReader in = new BincodeReader(raw, length);
        TransactionMeta m = new TransactionMeta();
        long status = in.u32();
        if (status > 1) {
            throw new MetaFormatException("status tag " + status + " is neither Ok nor Err");
        }
        m.error = status == 1 ? TransactionErrors.read(in) : null;
        m.fee = in.u64();
        m.preBalances = u64s(in);
        m.postBalances = u64s(in);
        if (!keepRest) {
            m.preBalances = null;
            m.postBalances = null;
        }
        m.inner = null;
        if (in.atEnd()) {
            return m;
        }
        m.inner = in.option() ? innerInstructions(in) : null;
        if (in.atEnd()) {
            return m;
        }
        List<String> logs = in.option() ? logs(in) : null;
        m.logMessages = keepRest ? logs : null;
        if (!in.atEnd() && in.option()) {
            m.preTokenBalances = tokenBalances(in);
        }
        if (!in.atEnd() && in.option()) {
            m.postTokenBalances = tokenBalances(in);
        }
        if (!in.atEnd() && in.option()) {
            rewards(in); // per-transaction rewards: not part of the row model
        }
        if (!in.atEnd() && in.option()) {
            in.bytes(32); // return data: program id, data
            in.bytes(in.length(1));
        }
        if (!in.atEnd() && in.option()) {
            m.computeUnits = in.u64();
        }
        if (!in.atEnd() && in.option()) {
            in.u64(); // cost units: not part of getBlock's meta
        }
        if (!in.atEnd()) {
            throw new MetaFormatException(in.remaining() + " bytes after the last field");
        }
        return m;
    }

    private static long[] u64s(BincodeReader in) {
        long[] a = new long[in.length(8)];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.u64();
        }
        return a;
    }

    /** Account indexes from their one-byte form. */
    static int[] indexes(byte[] accounts) {
        int[] out = new int[accounts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = accounts[i] & 0xFF;
        }
        return out;
    }

    /** {@code Vec<InnerInstructions{index: u8, instructions: Vec<CompiledInstruction>}>}. */
    private static List<InnerInstructions> innerInstructions(BincodeReader in) {
        int groups = in.length(9);
        List<InnerInstructions> out = new ArrayList<>(groups);
        for (int g = groups; g > 0; g--) {
            int index = in.u8();
            int n = in.length(3);
            List<Instruction> list = new ArrayList<>(n);
            for (int i = n; i > 0; i--) {
                int program = in.u8();
                byte[] accounts = in.bytes(in.shortVecLength());
                byte[] data = in.bytes(in.shortVecLength());
                list.add(new Instruction(program, indexes(accounts), data, null, null));
            }
            out.add(new InnerInstructions(index, list));
        }
        return out;
    }

    private static List<String> logs(BincodeReader in) {
        int n = in.length(8);
        List<String> a = new ArrayList<>(n);
        for (int i = n; i > 0; i--) {
            a.add(in.string());
        }
        return a;
    }

    /**
     * {@code StoredTransactionTokenBalance{account_index: u8, mint, ui_token_amount{ui_amount: f64,
     * decimals: u8, amount}}}; owner and program id came later than the bincode era.
     */
    private static List<TokenBalance> tokenBalances(BincodeReader in) {
        int n = in.length(34);
        List<TokenBalance> a = new ArrayList<>(n);
        for (int i = n; i > 0; i--) {
            int account = in.u8();
            String mint = in.string();
            in.u64(); // ui_amount (f64): derived from amount and decimals
            int decimals = in.u8();
            String amount = in.string();
            a.add(new TokenBalance(account, mint, null, null, amount, decimals));
        }
        return a;
    }

    /**
     * {@code StoredExtendedReward{pubkey, lamports: i64, post_balance, reward_type, commission}}.
     */
    private static void rewards(BincodeReader in) {
        for (int i = in.length(26); i > 0; i--) {
            in.string();
            in.u64();
            in.u64();
            if (in.option()) {
                in.u32();
            }
            if (in.option()) {
                in.u8();
            }
        }
    }
}
