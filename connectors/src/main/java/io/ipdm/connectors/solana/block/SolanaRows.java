package io.ipdm.connectors.solana.block;

import io.ipdm.connectors.solana.SolanaTable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.types.Row;

/**
 * Turns decoded blocks into rows of a {@link SolanaTable}, in block order.
 *
 * <p>Only the projected columns are computed: a column no stage reads costs nothing (no base58
 * text, no program-id set). This is also what makes a decoder's shortcuts safe: a block decoded for
 * a projection may leave parts undecoded (account keys loaded from address tables, metadata), and
 * no column of that projection reads them ({@code FaithfulDecodeDifferentialTest}, {@code
 * ProjectionTest}).
 */
public final class SolanaRows {
    private SolanaRows() {}

    private static final Projection[] ALL = new Projection[SolanaTable.values().length];

    static {
        for (SolanaTable t : SolanaTable.values()) {
            ALL[t.ordinal()] = Projection.all(t);
        }
    }

    // column positions, in SolanaTable's order
    private static final int B_SLOT = 0,
            B_PARENT = 1,
            B_HASH = 2,
            B_PREV = 3,
            B_TIME = 4,
            B_HEIGHT = 5,
            B_TXS = 6,
            B_VOTES = 7,
            B_FAILED = 8,
            B_SIGS = 9,
            B_FEES = 10,
            B_CUS = 11,
            B_LEADER = 12,
            B_REWARD = 13;
    private static final int T_SLOT = 0,
            T_TIME = 1,
            T_INDEX = 2,
            T_SIG = 3,
            T_PAYER = 4,
            T_FEE = 5,
            T_SUCCESS = 6,
            T_ERROR = 7,
            T_CUS = 8,
            T_PROGRAMS = 9,
            T_INNER_PROGRAMS = 10,
            T_VOTE = 11,
            T_NUM_SIGS = 12,
            T_VERSION = 13,
            T_NUM_IXS = 14,
            T_NUM_INNER = 15,
            T_NUM_ACCOUNTS = 16,
            T_RECENT = 17;
    private static final int I_SLOT = 0,
            I_TIME = 1,
            I_TX = 2,
            I_SIG = 3,
            I_INDEX = 4,
            I_INNER = 5,
            I_STACK = 6,
            I_PROGRAM = 7,
            I_ACCOUNTS = 8,
            I_DATA = 9,
            I_SUCCESS = 10,
            I_VOTE = 11;
    private static final int K_SLOT = 0,
            K_TIME = 1,
            K_TX = 2,
            K_SIG = 3,
            K_ACCOUNT_INDEX = 4,
            K_ACCOUNT = 5,
            K_MINT = 6,
            K_OWNER = 7,
            K_PROGRAM = 8,
            K_DECIMALS = 9,
            K_PRE = 10,
            K_POST = 11,
            K_DELTA = 12,
            K_UI_DELTA = 13,
            K_SUCCESS = 14;

    /** Every column of {@code table}. */
    public static List<Row> rows(SolanaBlock block, SolanaTable table) {
        return rows(block, ALL[table.ordinal()]);
    }

    /**
     * The rows of the projection's table with only its columns, in table order; equal to {@link
     * #rows(SolanaBlock, SolanaTable)} cut down to those columns, for a block decoded with that
     * projection or with more.
     */
    public static List<Row> rows(SolanaBlock block, Projection projection) {
        int[] cols = projection.positions();
        return switch (projection.table()) {
            case BLOCKS -> block.isBlock() ? List.of(blockRow(block, cols)) : List.of();
            case TRANSACTIONS -> transactionRows(block, cols);
            case INSTRUCTIONS -> instructionRows(block, cols);
            case TOKEN_BALANCE_CHANGES -> tokenBalanceRows(block, cols);
        };
    }

    static Row blockRow(SolanaBlock b) {
        return blockRow(b, ALL[SolanaTable.BLOCKS.ordinal()].positions());
    }

    private static boolean any(int[] cols, int from, int to) {
        for (int c : cols) {
            if (c >= from && c <= to) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(int[] cols, int col) {
        for (int c : cols) {
            if (c == col) {
                return true;
            }
        }
        return false;
    }

    private static Row blockRow(SolanaBlock b, int[] cols) {
        List<SolanaTransaction> txs = b.transactions();
        Integer txCount = null;
        Integer votes = null;
        Integer failed = null;
        Integer sigs = null;
        Long fees = null;
        Long cus = null;
        if (txs != null && any(cols, B_TXS, B_CUS)) {
            boolean readVotes = has(cols, B_VOTES);
            int v = 0;
            int f = 0;
            int s = 0;
            long fee = 0;
            long cu = 0;
            boolean anyCu = false;
            for (SolanaTransaction tx : txs) {
                if (readVotes) {
                    v += tx.isVote() ? 1 : 0;
                }
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
        Row row = Row.withPositions(cols.length);
        for (int j = 0; j < cols.length; j++) {
            row.setField(
                    j,
                    switch (cols[j]) {
                        case B_SLOT -> b.slot();
                        case B_PARENT -> b.parentSlot();
                        case B_HASH -> b.blockhash();
                        case B_PREV -> b.previousBlockhash();
                        case B_TIME -> b.blockTime();
                        case B_HEIGHT -> b.blockHeight();
                        case B_TXS -> txCount;
                        case B_VOTES -> votes;
                        case B_FAILED -> failed;
                        case B_SIGS -> sigs;
                        case B_FEES -> fees;
                        case B_CUS -> cus;
                        case B_LEADER -> b.leader();
                        case B_REWARD -> b.leaderReward();
                        default -> throw new IllegalStateException("column " + cols[j]);
                    });
        }
        return row;
    }

    private static List<Row> transactionRows(SolanaBlock b, int[] cols) {
        List<SolanaTransaction> txs = b.transactions();
        if (txs == null) {
            return List.of();
        }
        List<Row> out = new ArrayList<>(txs.size());
        Long slot = b.slot(); // boxed once per block, not once per row
        for (SolanaTransaction tx : txs) {
            Row row = Row.withPositions(cols.length);
            for (int j = 0; j < cols.length; j++) {
                row.setField(j, transactionColumn(b.blockTime(), slot, tx, cols[j]));
            }
            out.add(row);
        }
        return out;
    }

    /** Column {@code col} (a position in the full table row) of a transaction's row. */
    static Object transactionColumn(Long blockTime, Long slot, SolanaTransaction tx, int col) {
        return switch (col) {
            case T_SLOT -> slot;
            case T_TIME -> blockTime;
            case T_INDEX -> tx.index() < 0 ? null : tx.index();
            case T_SIG -> tx.signature();
            case T_PAYER -> tx.feePayer();
            case T_FEE -> tx.fee();
            case T_SUCCESS -> tx.success();
            case T_ERROR -> tx.error();
            case T_CUS -> tx.computeUnits();
            case T_PROGRAMS -> tx.programIds();
            case T_INNER_PROGRAMS -> tx.innerProgramIds();
            case T_VOTE -> tx.isVote();
            case T_NUM_SIGS -> tx.numSignatures();
            case T_VERSION -> tx.version();
            case T_NUM_IXS -> tx.instructions().size();
            case T_NUM_INNER -> tx.innerInstructionCount();
            case T_NUM_ACCOUNTS -> tx.accountKeys().size();
            case T_RECENT -> tx.recentBlockhash();
            default -> throw new IllegalStateException("column " + col);
        };
    }

    private static List<Row> instructionRows(SolanaBlock b, int[] cols) {
        List<SolanaTransaction> txs = b.transactions();
        if (txs == null) {
            return List.of();
        }
        boolean readSuccess = has(cols, I_SUCCESS);
        boolean readVote = has(cols, I_VOTE);
        List<Row> out = new ArrayList<>();
        for (SolanaTransaction tx : txs) {
            Boolean success = readSuccess ? tx.success() : null;
            boolean vote = readVote && tx.isVote();
            List<List<Instruction>> inner = tx.innerByTopLevel();
            for (int i = 0; i < tx.instructions().size(); i++) {
                out.add(
                        instructionRow(
                                b, tx, i, null, tx.instructions().get(i), success, vote, cols));
                List<Instruction> group = inner.get(i);
                for (int j = 0; j < group.size(); j++) {
                    out.add(instructionRow(b, tx, i, j, group.get(j), success, vote, cols));
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
            boolean vote,
            int[] cols) {
        Row row = Row.withPositions(cols.length);
        for (int j = 0; j < cols.length; j++) {
            row.setField(
                    j,
                    switch (cols[j]) {
                        case I_SLOT -> b.slot();
                        case I_TIME -> b.blockTime();
                        case I_TX -> tx.index() < 0 ? null : tx.index();
                        case I_SIG -> tx.signature();
                        case I_INDEX -> index;
                        case I_INNER -> inner;
                        case I_STACK -> ix.stackHeight();
                        case I_PROGRAM -> tx.accountKeys().get(ix.programIdIndex());
                        case I_ACCOUNTS -> accounts(tx.accountKeys(), ix);
                        case I_DATA -> ix.data();
                        case I_SUCCESS -> success;
                        case I_VOTE -> vote;
                        default -> throw new IllegalStateException("column " + cols[j]);
                    });
        }
        return row;
    }

    private static String[] accounts(AccountKeys keys, Instruction ix) {
        if (ix.accounts() == null) {
            return null;
        }
        String[] accounts = new String[ix.accounts().length];
        for (int a = 0; a < accounts.length; a++) {
            accounts[a] = keys.get(ix.accounts()[a]);
        }
        return accounts;
    }

    private static List<Row> tokenBalanceRows(SolanaBlock b, int[] cols) {
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
                // the amounts decide whether there is a row at all, so they are always read
                BigInteger preAmount = pre == null ? BigInteger.ZERO : amount(pre);
                BigInteger postAmount = post == null ? BigInteger.ZERO : amount(post);
                if (pre != null && post != null && preAmount.equals(postAmount)) {
                    continue;
                }
                TokenBalance any = post != null ? post : pre;
                BigInteger delta = postAmount.subtract(preAmount);
                Row row = Row.withPositions(cols.length);
                for (int j = 0; j < cols.length; j++) {
                    row.setField(
                            j,
                            switch (cols[j]) {
                                case K_SLOT -> b.slot();
                                case K_TIME -> b.blockTime();
                                case K_TX -> tx.index() < 0 ? null : tx.index();
                                case K_SIG -> tx.signature();
                                case K_ACCOUNT_INDEX -> e.getKey();
                                case K_ACCOUNT -> tx.accountKeys().get(e.getKey());
                                case K_MINT -> any.mint();
                                case K_OWNER -> any.owner();
                                case K_PROGRAM -> any.programId();
                                case K_DECIMALS -> any.decimals();
                                case K_PRE -> toLong(preAmount);
                                case K_POST -> toLong(postAmount);
                                case K_DELTA -> toLong(delta);
                                case K_UI_DELTA ->
                                        new BigDecimal(delta)
                                                .movePointLeft(any.decimals())
                                                .doubleValue();
                                case K_SUCCESS -> tx.success();
                                default -> throw new IllegalStateException("column " + cols[j]);
                            });
                }
                out.add(row);
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
