package io.ipdm.connectors.solana.block;

import io.ipdm.connectors.solana.SolanaTable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.types.Row;

/** Turns decoded blocks into rows of a {@link SolanaTable}, in block order. */
public final class SolanaRows {
    private SolanaRows() {}

    public static List<Row> rows(SolanaBlock block, SolanaTable table) {
        return switch (table) {
            case BLOCKS -> block.isBlock() ? List.of(blockRow(block)) : List.of();
            case TRANSACTIONS -> transactionRows(block);
            case INSTRUCTIONS -> instructionRows(block);
            case TOKEN_BALANCE_CHANGES -> tokenBalanceRows(block);
        };
    }

    /**
     * The rows of the projection's table with only its columns, in table order; equal to {@link
     * #rows(SolanaBlock, SolanaTable)} cut down to those columns, for a block decoded with that
     * projection or with more.
     */
    public static List<Row> rows(SolanaBlock block, Projection projection) {
        List<Row> full = rows(block, projection.table());
        if (projection.isAll()) {
            return full;
        }
        List<Row> out = new ArrayList<>(full.size());
        for (Row r : full) {
            out.add(projection.project(r));
        }
        return out;
    }

    static Row blockRow(SolanaBlock b) {
        List<SolanaTransaction> txs = b.transactions();
        Integer txCount = null;
        Integer votes = null;
        Integer failed = null;
        Integer sigs = null;
        Long fees = null;
        Long cus = null;
        if (txs != null) {
            int v = 0;
            int f = 0;
            int s = 0;
            long fee = 0;
            long cu = 0;
            boolean anyCu = false;
            for (SolanaTransaction tx : txs) {
                v += tx.isVote() ? 1 : 0;
                f += Boolean.FALSE.equals(tx.success()) ? 1 : 0;
                s += tx.numSignatures();
                fee += tx.fee() == null ? 0 : tx.fee();
                if (tx.computeUnits() != null) {
                    cu += tx.computeUnits();
                    anyCu = true;
                }
            }
            txCount = txs.size();
            votes = v;
            failed = f;
            sigs = s;
            fees = fee;
            cus = anyCu ? cu : null;
        }
        return Row.of(
                b.slot(),
                b.parentSlot(),
                b.blockhash(),
                b.previousBlockhash(),
                b.blockTime(),
                b.blockHeight(),
                txCount,
                votes,
                failed,
                sigs,
                fees,
                cus,
                b.leader(),
                b.leaderReward());
    }

    static List<Row> transactionRows(SolanaBlock b) {
        List<SolanaTransaction> txs = b.transactions();
        if (txs == null) {
            return List.of();
        }
        List<Row> out = new ArrayList<>(txs.size());
        for (SolanaTransaction tx : txs) {
            out.add(
                    Row.of(
                            b.slot(),
                            b.blockTime(),
                            tx.index() < 0 ? null : tx.index(),
                            tx.signature(),
                            tx.feePayer(),
                            tx.fee(),
                            tx.success(),
                            tx.error(),
                            tx.computeUnits(),
                            tx.programIds(),
                            tx.innerProgramIds(),
                            tx.isVote(),
                            tx.numSignatures(),
                            tx.version(),
                            tx.instructions().size(),
                            tx.innerInstructionCount(),
                            tx.accountKeys().size(),
                            tx.recentBlockhash()));
        }
        return out;
    }

    static List<Row> instructionRows(SolanaBlock b) {
        List<SolanaTransaction> txs = b.transactions();
        if (txs == null) {
            return List.of();
        }
        List<Row> out = new ArrayList<>();
        for (SolanaTransaction tx : txs) {
            Boolean success = tx.success();
            boolean vote = tx.isVote();
            List<List<Instruction>> inner = tx.innerByTopLevel();
            for (int i = 0; i < tx.instructions().size(); i++) {
                out.add(instructionRow(b, tx, i, null, tx.instructions().get(i), success, vote));
                List<Instruction> group = inner.get(i);
                for (int j = 0; j < group.size(); j++) {
                    out.add(instructionRow(b, tx, i, j, group.get(j), success, vote));
                }
            }
        }
        return out;
    }

    private static Row instructionRow(
            SolanaBlock b,
            SolanaTransaction tx,
            int index,
            Integer inner,
            Instruction ix,
            Boolean success,
            boolean vote) {
        AccountKeys keys = tx.accountKeys();
        String[] accounts = null;
        if (ix.accounts() != null) {
            accounts = new String[ix.accounts().length];
            for (int a = 0; a < accounts.length; a++) {
                accounts[a] = keys.get(ix.accounts()[a]);
            }
        }
        return Row.of(
                b.slot(),
                b.blockTime(),
                tx.index() < 0 ? null : tx.index(),
                tx.signature(),
                index,
                inner,
                ix.stackHeight(),
                keys.get(ix.programIdIndex()),
                accounts,
                ix.data(),
                success,
                vote);
    }

    static List<Row> tokenBalanceRows(SolanaBlock b) {
        List<SolanaTransaction> txs = b.transactions();
        if (txs == null) {
            return List.of();
        }
        List<Row> out = new ArrayList<>();
        for (SolanaTransaction tx : txs) {
            if (tx.preTokenBalances().isEmpty() && tx.postTokenBalances().isEmpty()) {
                continue;
            }
            Map<Integer, TokenBalance[]> byAccount = new TreeMap<>();
            for (TokenBalance pre : tx.preTokenBalances()) {
                byAccount.computeIfAbsent(pre.accountIndex(), k -> new TokenBalance[2])[0] = pre;
            }
            for (TokenBalance post : tx.postTokenBalances()) {
                byAccount.computeIfAbsent(post.accountIndex(), k -> new TokenBalance[2])[1] = post;
            }
            for (Map.Entry<Integer, TokenBalance[]> e : byAccount.entrySet()) {
                TokenBalance pre = e.getValue()[0];
                TokenBalance post = e.getValue()[1];
                BigInteger preAmount = pre == null ? BigInteger.ZERO : amount(pre);
                BigInteger postAmount = post == null ? BigInteger.ZERO : amount(post);
                if (pre != null && post != null && preAmount.equals(postAmount)) {
                    continue;
                }
                TokenBalance any = post != null ? post : pre;
                BigInteger delta = postAmount.subtract(preAmount);
                out.add(
                        Row.of(
                                b.slot(),
                                b.blockTime(),
                                tx.index() < 0 ? null : tx.index(),
                                tx.signature(),
                                e.getKey(),
                                tx.accountKeys().get(e.getKey()),
                                any.mint(),
                                any.owner(),
                                any.programId(),
                                any.decimals(),
                                toLong(preAmount),
                                toLong(postAmount),
                                toLong(delta),
                                new BigDecimal(delta).movePointLeft(any.decimals()).doubleValue(),
                                tx.success()));
            }
        }
        return out;
    }

    private static BigInteger amount(TokenBalance b) {
        try {
            return new BigInteger(b.amount());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "token amount '"
                            + b.amount()
                            + "' of account "
                            + b.accountIndex()
                            + " is not an integer");
        }
    }

    /** Null when the value does not fit a signed 64-bit integer (u64 amounts >= 2^63). */
    private static Long toLong(BigInteger v) {
        return v.bitLength() < 64 ? v.longValue() : null;
    }
}
