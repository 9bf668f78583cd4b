package io.ipdm.connectors.solana.synthetic;

import io.ipdm.connectors.solana.SolanaTable;
import java.util.Arrays;
import org.apache.flink.types.Row;

/**
 * Generates the rows of one slot. Everything about a slot is a function of (seed, slot): the
 * per-slot random streams are seeded from both, so any reader produces the same rows for it.
 * Transaction attributes come from one stream and table-specific details (accounts, token amounts)
 * from another, so the tables of one seed describe the same transactions.
 *
 * <p>Hot path: no base58 encoding, pooled strings and shared program-id arrays, one {@link Row} and
 * its boxed numbers per output row. With a projection it emits only some columns and skips the work
 * for signatures when they are not among them; random draws stay the same, so the kept columns hold
 * the same values. Not thread-safe: one instance per reader.
 */
public final class SlotGenerator {
    /** Receives generated rows with their event time in epoch milliseconds. */
    public interface RowSink {
        void accept(Row row, long timestampMillis);
    }

    /** Block time of slot 0 in unix seconds; slots are 400 ms. */
    public static final long GENESIS_UNIX_SECONDS = 1_611_000_000L;

    private static final Long BASE_FEE = 5000L;
    private static final Long VOTE_CU = 2100L;
    private static final String VERSION_0 = "0";
    private static final String LEGACY = "legacy";
    private static final Integer[] SMALL = new Integer[64];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = i;
        }
    }

    private final SyntheticOptions options;
    private final int[] columns; // output position -> table position; null for all
    private final boolean signatures;
    private final Row scratch;
    private final ChainModel model;
    private final long seedMix;
    private final Rng core = new Rng(0);
    private final Rng extra = new Rng(0);

    // Scratch for the transaction being generated.
    private boolean vote;
    private TxTemplate template;
    private int payer;
    private int validator;
    private int numSigs;
    private boolean failed;
    private String error;
    private long computeUnits;
    private long priorityFee;
    private boolean v0;
    private int prefix;

    public SlotGenerator(SyntheticOptions options) {
        this(options, null, null);
    }

    /**
     * Emits only {@code columns} (positions in {@code table}'s schema, in output order) of the rows
     * of {@code table}; null columns for all of them.
     */
    public SlotGenerator(SyntheticOptions options, SolanaTable table, int[] columns) {
        this.options = options;
        this.columns = columns == null ? null : columns.clone();
        boolean sig = true;
        if (columns != null && table.fieldNames().contains("signature")) {
            int at = table.indexOf("signature");
            sig = Arrays.stream(columns).anyMatch(c -> c == at);
        }
        this.signatures = sig;
        this.scratch = columns == null ? null : Row.withPositions(table.arity());
        this.model =
                ChainModel.of(options.seed(), options.accountPoolSize(), options.validatorCount());
        this.seedMix = Rng.mix(options.seed() * 31 + 7);
    }

    public static long blockTime(long slot) {
        return GENESIS_UNIX_SECONDS + slot * 2 / 5;
    }

    public boolean isSkipped(long slot) {
        double u = (Rng.mix(Rng.slotSeed(options.seed(), slot, 0x5C1D)) >>> 11) * 0x1.0p-53;
        return u < options.skippedSlotRate();
    }

    /** Transactions in a (non-skipped) slot. */
    int txCount(long slot) {
        core.reseed(Rng.slotSeed(options.seed(), slot, 1));
        int mean = options.transactionsPerSlot();
        return Math.max(1, (int) (mean * (0.8 + 0.4 * core.nextDouble())));
    }

    /**
     * Emits the rows of {@code slot} for {@code table}; returns the number of transactions the slot
     * holds (0 when skipped), which is what rate limits count.
     */
    public int generate(long slot, SolanaTable table, RowSink sink) {
        if (isSkipped(slot)) {
            return 0;
        }
        int n = txCount(slot);
        extra.reseed(Rng.slotSeed(options.seed(), slot, 2));
        long time = blockTime(slot);
        long millis = time * 1000;
        Long slotBox = slot;
        Long timeBox = time;
        Long lateBox = time - options.lateBySeconds();
        long lateMillis = lateBox * 1000;
        switch (table) {
            case TRANSACTIONS -> {
                String recent = ChainModel.blockhash(options.seed(), parentSlot(slot));
                for (int i = 0; i < n; i++) {
                    draw();
                    boolean late = isLate(slot, i);
                    sink.accept(
                            transactionRow(slotBox, late ? lateBox : timeBox, slot, i, recent),
                            late ? lateMillis : millis);
                }
            }
            case BLOCKS -> {
                boolean late = isLate(slot, -1);
                sink.accept(
                        blockRow(slot, n, slotBox, late ? lateBox : timeBox),
                        late ? lateMillis : millis);
            }
            case INSTRUCTIONS -> {
                for (int i = 0; i < n; i++) {
                    draw();
                    boolean late = isLate(slot, i);
                    emitInstructions(
                            slotBox,
                            late ? lateBox : timeBox,
                            slot,
                            i,
                            sink,
                            late ? lateMillis : millis);
                }
            }
            case TOKEN_BALANCE_CHANGES -> {
                for (int i = 0; i < n; i++) {
                    draw();
                    boolean late = isLate(slot, i);
                    emitTokenChanges(
                            slotBox,
                            late ? lateBox : timeBox,
                            slot,
                            i,
                            sink,
                            late ? lateMillis : millis);
                }
            }
        }
        return n;
    }

    /**
     * Whether transaction {@code index} of {@code slot} (-1: the block itself) is reported late
     * ({@link SyntheticOptions#lateFraction()}); a hash of seed, slot and index, so every run and
     * every reader picks the same rows.
     */
    boolean isLate(long slot, int index) {
        if (options.lateFraction() == 0) {
            return false;
        }
        double u = (Rng.mix(Rng.slotSeed(options.seed(), slot, 0x1A7E) + index) >>> 11) * 0x1.0p-53;
        return u < options.lateFraction();
    }

    /** The nearest earlier slot that is not skipped. */
    long parentSlot(long slot) {
        long p = slot - 1;
        for (int i = 0; i < 64 && p > 0 && isSkipped(p); i++) {
            p--;
        }
        return Math.max(p, 0);
    }

    private void draw() {
        vote = core.nextDouble() < options.voteFraction();
        prefix = core.nextInt(model.signaturePrefixes.length);
        if (vote) {
            validator = model.validatorPick.sample(core);
            numSigs = 1;
            failed = false;
            error = null;
            computeUnits = 2100;
            priorityFee = 0;
            v0 = false;
            return;
        }
        template = model.templates[model.templatePick.sample(core)];
        payer = model.accountPick.sample(core);
        double s = core.nextDouble();
        numSigs = s < 0.9 ? 1 : s < 0.99 ? 2 : 3;
        failed = core.nextDouble() < options.failureRate();
        error = failed ? model.errors[model.errorPick.sample(core)] : null;
        double f = Math.exp((core.nextDouble() - 0.5) * 1.5);
        long cu = (long) (template.baseComputeUnits() * f) + 150L * template.topLevel().length;
        computeUnits = Math.min(1_400_000, failed ? cu * 3 / 5 : cu);
        boolean hasBudget = ChainModel.COMPUTE_BUDGET.equals(template.topLevel()[0]);
        double p = core.nextDouble();
        if (!hasBudget || p < 0.25) {
            priorityFee = 0;
        } else {
            // Price log-uniform in [100, 2e6] micro-lamports per CU over a limit ~1.3x usage.
            double price = 100 * Math.exp(core.nextDouble() * 9.9);
            priorityFee = (long) Math.ceil(computeUnits * 1.3 * price / 1_000_000);
        }
        v0 = core.nextDouble() < options.v0Fraction();
    }

    private String signature(long slot, int index) {
        return signatures ? model.signature(seedMix, slot, index, prefix) : null;
    }

    /** The row to emit: {@code full} itself, or a new row of the projected columns. */
    private Row project(Row full) {
        if (columns == null) {
            return full;
        }
        Row out = Row.withPositions(columns.length);
        for (int i = 0; i < columns.length; i++) {
            out.setField(i, full.getField(columns[i]));
        }
        return out;
    }

    private Row transactionRow(Long slotBox, Long timeBox, long slot, int index, String recent) {
        // Projected: fill a scratch row and copy the kept columns out of it.
        Row row = scratch != null ? scratch : Row.withPositions(18);
        row.setField(0, slotBox);
        row.setField(1, timeBox);
        row.setField(2, index < SMALL.length ? SMALL[index] : Integer.valueOf(index));
        row.setField(3, signature(slot, index));
        row.setField(6, !failed);
        row.setField(7, error);
        row.setField(11, vote);
        row.setField(12, SMALL[numSigs]);
        row.setField(17, recent);
        if (vote) {
            row.setField(4, model.validators[validator]);
            row.setField(5, BASE_FEE);
            row.setField(8, VOTE_CU);
            row.setField(9, model.voteProgramIds[0]);
            row.setField(10, EMPTY);
            row.setField(13, LEGACY);
            row.setField(14, SMALL[1]);
            row.setField(15, SMALL[0]);
            row.setField(16, SMALL[5]);
        } else {
            row.setField(4, model.accounts[payer]);
            row.setField(5, 5000L * numSigs + priorityFee);
            row.setField(8, computeUnits);
            row.setField(9, template.programIds());
            row.setField(10, template.innerProgramIds());
            row.setField(13, v0 ? VERSION_0 : LEGACY);
            row.setField(14, SMALL[template.topLevel().length]);
            row.setField(15, SMALL[template.innerCount()]);
            row.setField(16, SMALL[Math.min(63, template.accountsPerInstruction() + 2)]);
        }
        return project(row);
    }

    private Row blockRow(long slot, int n, Long slotBox, Long timeBox) {
        int votes = 0;
        int failedCount = 0;
        int sigs = 0;
        long fees = 0;
        long baseFees = 0;
        long cus = 0;
        for (int i = 0; i < n; i++) {
            draw();
            votes += vote ? 1 : 0;
            failedCount += failed ? 1 : 0;
            sigs += numSigs;
            baseFees += 5000L * numSigs;
            fees += 5000L * numSigs + priorityFee;
            cus += computeUnits;
        }
        long parent = parentSlot(slot);
        Rng leaderRng = new Rng(Rng.slotSeed(options.seed(), slot / 4, 3));
        String leader = model.validators[model.validatorPick.sample(leaderRng)];
        return project(
                Row.of(
                        slotBox,
                        parent,
                        ChainModel.blockhash(options.seed(), slot),
                        ChainModel.blockhash(options.seed(), parent),
                        timeBox,
                        Math.round(slot * (1 - options.skippedSlotRate())),
                        n,
                        votes,
                        failedCount,
                        sigs,
                        fees,
                        cus,
                        leader,
                        baseFees / 2 + (fees - baseFees)));
    }

    private void emitInstructions(
            Long slotBox, Long timeBox, long slot, int index, RowSink sink, long millis) {
        String signature = signature(slot, index);
        Integer txIndex = index < SMALL.length ? SMALL[index] : Integer.valueOf(index);
        Boolean success = !failed;
        if (vote) {
            String[] accounts = {model.voteAccounts[validator], model.validators[validator]};
            sink.accept(
                    project(
                            Row.of(
                                    slotBox,
                                    timeBox,
                                    txIndex,
                                    signature,
                                    SMALL[0],
                                    null,
                                    null,
                                    ChainModel.VOTE,
                                    accounts,
                                    model.voteData[extra.nextInt(model.voteData.length)],
                                    success,
                                    true)),
                    millis);
            return;
        }
        String[] top = template.topLevel();
        for (int i = 0; i < top.length; i++) {
            sink.accept(
                    project(
                            Row.of(
                                    slotBox,
                                    timeBox,
                                    txIndex,
                                    signature,
                                    SMALL[i],
                                    null,
                                    null,
                                    top[i],
                                    accounts(top[i]),
                                    data(),
                                    success,
                                    false)),
                    millis);
            String[] inner = template.innerOf()[i];
            for (int j = 0; j < inner.length; j++) {
                sink.accept(
                        project(
                                Row.of(
                                        slotBox,
                                        timeBox,
                                        txIndex,
                                        signature,
                                        SMALL[i],
                                        SMALL[j],
                                        SMALL[2],
                                        inner[j],
                                        accounts(inner[j]),
                                        data(),
                                        success,
                                        false)),
                        millis);
            }
        }
    }

    private String[] accounts(String program) {
        if (ChainModel.COMPUTE_BUDGET.equals(program)) {
            return EMPTY;
        }
        int k =
                Math.min(
                        template.accountsPerInstruction(),
                        3 + extra.nextInt(template.accountsPerInstruction()));
        String[] a = new String[k];
        a[0] = model.accounts[payer];
        for (int i = 1; i < k; i++) {
            a[i] = model.tokenAccounts[model.accountPick.sample(extra)];
        }
        return a;
    }

    private String data() {
        return model.instructionData[extra.nextInt(model.instructionData.length)];
    }

    private void emitTokenChanges(
            Long slotBox, Long timeBox, long slot, int index, RowSink sink, long millis) {
        if (vote || failed || template.tokenTransfers() == 0) {
            return;
        }
        String signature = signature(slot, index);
        Integer txIndex = index < SMALL.length ? SMALL[index] : Integer.valueOf(index);
        String program =
                template.programIds()[template.programIds().length - 1].equals(
                                ChainModel.TOKEN_2022)
                        ? ChainModel.TOKEN_2022
                        : ChainModel.TOKEN;
        for (int t = 0; t < template.tokenTransfers(); t++) {
            int mint = model.mintPick.sample(extra);
            long amount = (long) Math.exp(extra.nextDouble() * 27.6); // up to ~1e12 raw units
            amount = Math.max(1, amount);
            int counterparty = model.accountPick.sample(extra);
            for (int side = 0; side < 2; side++) {
                boolean out = side == 0;
                long pre =
                        out
                                ? amount + (long) (amount * 10 * extra.nextDouble())
                                : (long) (amount * 5 * extra.nextDouble());
                long delta = out ? -amount : amount;
                int accountIndex = 1 + 2 * t + side;
                sink.accept(
                        project(
                                Row.of(
                                        slotBox,
                                        timeBox,
                                        txIndex,
                                        signature,
                                        accountIndex,
                                        model.tokenAccounts[model.accountPick.sample(extra)],
                                        model.mints[mint],
                                        out ? model.accounts[payer] : model.accounts[counterparty],
                                        program,
                                        model.mintDecimals[mint],
                                        pre,
                                        pre + delta,
                                        delta,
                                        delta * model.mintScale[mint],
                                        Boolean.TRUE)),
                        millis);
            }
        }
    }

    private static final String[] EMPTY = new String[0];
}
