package io.ipdm.connectors.lakes.faithful;

import io.ipdm.connectors.solana.block.InnerInstructions;
import io.ipdm.connectors.solana.block.Instruction;
import io.ipdm.connectors.solana.block.TokenBalance;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtobufException;
import java.util.ArrayList;
import java.util.List;

/**
 * Solana's protobuf {@code TransactionStatusMeta} (storage-proto {@code confirmed_block.proto})
 * into {@link TransactionMeta}'s fields. Field numbers are that file's; {@code *_none} flags mean
 * "none recorded" as the RPC's null. Fields not asked for are stepped over without a copy.
 */
final class ProtoMeta {
    private static final String MSG = "TransactionStatusMeta";

    private ProtoMeta() {}

    /**
     * The message in {@code raw[0, length)} (a reused buffer: nothing decoded refers to it after).
     */
    static TransactionMeta decode(byte[] raw, int length, int what) {
        TransactionMeta m = new TransactionMeta();
        boolean wantInner = (what & TransactionMeta.INNER) != 0;
        boolean wantTokens = (what & TransactionMeta.TOKENS) != 0;
        boolean wantRest = (what & TransactionMeta.LOGS_AND_BALANCES) != 0;
        List<InnerInstructions> inner = null;
        List<TokenBalance> pre = null;
        List<TokenBalance> post = null;
        List<byte[]> writable = null;
        List<byte[]> readonly = null;
        List<String> logs = null;
        LongList preBal = wantRest ? new LongList() : null;
        LongList postBal = wantRest ? new LongList() : null;
        boolean innerNone = false;
        boolean logsNone = false;
        ProtoReader r = new ProtoReader(raw, 0, length, MSG);
        while (r.next()) {
            switch (r.field()) {
                case 1 -> m.error = error(r.nested("TransactionError"));
                case 2 -> m.fee = r.uint64();
                case 3 -> {
                    if (wantRest) {
                        r.uint64s(preBal::add);
                    } else {
                        skip(r);
                    }
                }
                case 4 -> {
                    if (wantRest) {
                        r.uint64s(postBal::add);
                    } else {
                        skip(r);
                    }
                }
                case 5 -> {
                    if (wantInner) {
                        inner = add(inner, innerInstructions(r.nested("InnerInstructions")));
                    } else {
                        skip(r);
                    }
                }
                case 6 -> {
                    if (wantRest) {
                        logs = add(logs, r.string());
                    } else {
                        skip(r);
                    }
                }
                case 7 -> {
                    if (wantTokens) {
                        pre = add(pre, tokenBalance(r.nested("TokenBalance")));
                    } else {
                        skip(r);
                    }
                }
                case 8 -> {
                    if (wantTokens) {
                        post = add(post, tokenBalance(r.nested("TokenBalance")));
                    } else {
                        skip(r);
                    }
                }
                case 10 -> innerNone = r.bool();
                case 11 -> logsNone = r.bool();
                // raw: encoded as text only when a column reads one (AccountKeys)
                case 12 -> writable = add(writable, r.bytes());
                case 13 -> readonly = add(readonly, r.bytes());
                case 16 -> m.computeUnits = r.uint64();
                default -> skip(r); // 9 rewards, 14 return data, 15 none-flag, 17 cost units
            }
        }
        m.inner = innerNone ? null : orEmpty(inner);
        m.logMessages = logsNone || !wantRest ? null : orEmpty(logs);
        m.preTokenBalances = orEmpty(pre);
        m.postTokenBalances = orEmpty(post);
        m.loadedWritable = orEmpty(writable);
        m.loadedReadonly = orEmpty(readonly);
        if (wantRest) {
            m.preBalances = preBal.toArray();
            m.postBalances = postBal.toArray();
        }
        return m;
    }

    /** Steps over the current field (a length-delimited one without copying it). */
    private static void skip(ProtoReader r) {
        r.skip();
    }

    private static <T> List<T> add(List<T> list, T item) {
        List<T> l = list == null ? new ArrayList<>(4) : list;
        l.add(item);
        return l;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** The {@code err} message wraps the bincode {@code TransactionError}; as compact JSON. */
    private static String error(ProtoReader r) {
        byte[] bincode = new byte[0];
        while (r.next()) {
            if (r.field() == 1) {
                bincode = r.bytes();
            } else {
                skip(r);
            }
        }
        BincodeReader in = new BincodeReader(bincode);
        String e = TransactionErrors.read(in);
        if (!in.atEnd()) {
            throw new ProtobufException(
                    "TransactionError: " + in.remaining() + " bytes after the error");
        }
        return e;
    }

    private static InnerInstructions innerInstructions(ProtoReader r) {
        long index = 0;
        List<Instruction> list = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> index = r.uint64();
                case 2 -> list.add(innerInstruction(r.nested("InnerInstruction")));
                default -> skip(r);
            }
        }
        return new InnerInstructions((int) index, list);
    }

    private static Instruction innerInstruction(ProtoReader r) {
        int program = 0;
        byte[] accounts = new byte[0];
        byte[] data = new byte[0];
        Integer height = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> program = (int) r.uint64();
                case 2 -> accounts = r.bytes();
                case 3 -> data = r.bytes();
                case 4 -> height = (int) r.uint64();
                default -> skip(r);
            }
        }
        return new Instruction(program, BincodeMeta.indexes(accounts), data, null, height);
    }

    private static TokenBalance tokenBalance(ProtoReader r) {
        int account = 0;
        String mint = "";
        String owner = "";
        String program = "";
        String amount = "";
        int decimals = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> account = (int) r.uint64();
                case 2 -> mint = r.string();
                case 3 -> {
                    ProtoReader a = r.nested("UiTokenAmount");
                    while (a.next()) {
                        switch (a.field()) {
                            case 2 -> decimals = (int) a.uint64();
                            case 3 -> amount = a.string();
                            default -> skip(a); // ui amounts are derived from amount, decimals
                        }
                    }
                }
                case 4 -> owner = r.string();
                case 5 -> program = r.string();
                default -> skip(r);
            }
        }
        return new TokenBalance(
                account,
                mint,
                owner.isEmpty() ? null : owner,
                program.isEmpty() ? null : program,
                amount,
                decimals);
    }

    /**
     * The Fee rewards of a protobuf {@code Rewards} message ({@code repeated Reward rewards = 1}):
     * the last one's pubkey (the leader) and their lamport sum; null when there is none.
     */
    static BlockRewards.Leader leader(byte[] raw) {
        ProtoReader r = new ProtoReader(raw, "Rewards");
        String leader = null;
        long total = 0;
        while (r.next()) {
            if (r.field() != 1) {
                skip(r);
                continue;
            }
            ProtoReader reward = r.nested("Reward");
            String pubkey = "";
            long lamports = 0;
            long type = 0;
            while (reward.next()) {
                switch (reward.field()) {
                    case 1 -> pubkey = reward.string();
                    case 2 -> lamports = reward.uint64(); // int64: two's complement varint
                    case 4 -> type = reward.uint64();
                    default -> skip(reward);
                }
            }
            if (type == 1) { // RewardType.Fee
                leader = pubkey;
                total += lamports;
            }
        }
        return leader == null ? null : new BlockRewards.Leader(leader, total);
    }

    /** A growable long array. */
    static final class LongList {
        private long[] a = new long[8];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
