package io.ipdm.connectors.solana.block;

import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.wire.CompiledInstruction;
import io.ipdm.connectors.solana.wire.WireTransaction;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.MultiformatException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@code {transaction, meta, version}} object of a getBlock response said, before it is
 * checked, and the one place where it is checked and built into a {@link SolanaTransaction} ({@link
 * #build}). {@link BlockParser} fills it from tokens; the tree-parse benchmark baseline (test
 * scope) fills it from a Jackson tree.
 */
final class TxParts {
    boolean transactionSeen;
    WireTransaction wire;
    JsonTx json;
    boolean hasMeta;
    Long fee;
    String error;
    Long computeUnits;
    boolean loadedSeen;
    List<String> loadedWritable = List.of();
    List<String> loadedReadonly = List.of();
    List<RawGroup> inner;
    List<RawBalance> pre;
    List<RawBalance> post;
    String declaredVersion;

    /** A json/jsonParsed transaction as sent. */
    static final class JsonTx {
        List<String> signatures;
        boolean messageSeen;
        List<String> accountKeys;
        boolean parsedKeys;
        String recentBlockhash;
        List<RawInstruction> instructions = List.of();
        boolean lookupsSeen;
        int lookupCount;
    }

    static final class RawInstruction {
        boolean programIndexSeen;
        int programIdIndex;
        String programId;
        boolean accountsSeen;
        int[] accountIndexes;
        String[] accountNames;
        String data;
        Integer stackHeight;
    }

    record RawGroup(int index, List<RawInstruction> instructions) {}

    static final class RawBalance {
        int accountIndex = -1;
        String mint;
        String owner;
        String programId;
        String amount;
        int decimals;
    }

    private record Body(
            String signature,
            int numSignatures,
            String version,
            AccountKeys keys,
            String recentBlockhash,
            List<Instruction> instructions) {}

    /**
     * Checks the parts and builds the transaction; an {@link IllegalArgumentException} says in
     * words what is wrong (the caller adds where). Inner instructions and token balances are built
     * when present: a reader leaves them null when its projection does not need them.
     */
    static SolanaTransaction build(TxParts tx, int index) {
        return build(tx, index, true);
    }

    /**
     * Whether rows of {@code projection} read the signature text: every transaction-level table has
     * a signature column, blocks rows hold none.
     */
    static boolean signatureText(Projection projection) {
        SolanaTable table = projection.table();
        return table == null
                || table != SolanaTable.BLOCKS
                        && (projection.isAll() || projection.reads("signature"));
    }

    /**
     * As {@link #build(TxParts, int)}; without {@code signatureText} a binary transaction's
     * signature is left null (its base58 is the costliest text of a transaction: made only when a
     * read column holds it).
     */
    static SolanaTransaction build(TxParts tx, int index, boolean signatureText) {
        if (!tx.transactionSeen) {
            throw new IllegalArgumentException("field \"transaction\" is missing");
        }
        Body body = tx.wire != null ? wireBody(tx.wire, tx, signatureText) : jsonBody(tx.json, tx);
        String declared = tx.declaredVersion;
        if (declared != null && body.version != null && !declared.equals(body.version)) {
            throw new IllegalArgumentException(
                    "field \"version\" says " + declared + " but the message is " + body.version);
        }
        String version =
                body.version != null ? body.version : (declared != null ? declared : "legacy");
        SolanaTransaction bare =
                SolanaTransaction.withoutMeta(
                        index,
                        body.signature,
                        body.numSignatures,
                        version,
                        body.keys,
                        body.recentBlockhash,
                        body.instructions);
        return tx.hasMeta ? withMeta(bare, tx) : bare;
    }

    /**
     * {@code bare} (built from {@code tx} without its meta) with the meta {@code tx} now holds: the
     * message is not decoded again. Not for a transaction whose keys come from the meta's loaded
     * addresses (those are read before the bare transaction is built).
     */
    static SolanaTransaction withMeta(SolanaTransaction bare, TxParts tx) {
        if (tx.fee == null) {
            throw new IllegalArgumentException("field \"meta.fee\" is missing");
        }
        AccountKeys keys = bare.accountKeys();
        List<InnerInstructions> inner = List.of();
        if (tx.inner != null && !tx.inner.isEmpty()) {
            inner = new ArrayList<>(tx.inner.size());
            for (RawGroup g : tx.inner) {
                inner.add(
                        new InnerInstructions(
                                g.index(),
                                instructionList(
                                        g.instructions(),
                                        keys,
                                        "inner instruction of " + g.index() + " #")));
            }
        }
        return new SolanaTransaction(
                bare.index(),
                bare.signature(),
                bare.numSignatures(),
                bare.version(),
                keys,
                bare.recentBlockhash(),
                bare.instructions(),
                inner,
                true,
                tx.fee,
                tx.error,
                tx.computeUnits,
                balances(tx.pre, keys, "preTokenBalances"),
                balances(tx.post, keys, "postTokenBalances"));
    }

    /**
     * The encoding-independent body of a wire transaction; v0 lookups resolve through
     * meta.loadedAddresses (writable then readonly), whose sizes must match the lookups.
     */
    private static Body wireBody(WireTransaction w, TxParts tx, boolean signatureText) {
        if (w.signatures().length == 0) {
            throw new IllegalArgumentException("transaction has no signatures");
        }
        List<String> writable = List.of();
        List<String> readonly = List.of();
        int needW = w.loadedWritableCount();
        int needR = w.loadedReadonlyCount();
        if (needW + needR > 0) {
            if (!tx.hasMeta || !tx.loadedSeen) {
                throw new IllegalArgumentException(
                        "v0 transaction loads "
                                + (needW + needR)
                                + " accounts from address tables but meta.loadedAddresses is"
                                + " missing");
            }
            writable = tx.loadedWritable;
            readonly = tx.loadedReadonly;
            if (writable.size() != needW || readonly.size() != needR) {
                throw new IllegalArgumentException(
                        "address table lookups load "
                                + needW
                                + " writable and "
                                + needR
                                + " readonly accounts but meta.loadedAddresses has "
                                + writable.size()
                                + " and "
                                + readonly.size());
            }
        }
        AccountKeys keys = AccountKeys.of(w.staticAccountKeys(), writable, readonly);
        if (keys.size() == 0) {
            throw new IllegalArgumentException("transaction has no account keys");
        }
        List<CompiledInstruction> cis = w.instructions();
        List<Instruction> ixs = new ArrayList<>(cis.size());
        for (int i = 0; i < cis.size(); i++) {
            CompiledInstruction ci = cis.get(i);
            if (ci.programIdIndex() >= keys.size()) {
                keys.check(ci.programIdIndex(), "instruction " + i + " program id");
            }
            for (int a : ci.accountIndexes()) {
                if (a >= keys.size()) {
                    keys.check(a, "instruction " + i);
                }
            }
            ixs.add(
                    new Instruction(
                            ci.programIdIndex(), ci.accountIndexes(), ci.data(), null, null));
        }
        return new Body(
                signatureText ? Base58.encode(w.signatures()[0]) : null,
                w.signatures().length,
                w.versionName(),
                keys,
                AccountKeys.Text.of(w.recentBlockhash()), // a few per block: cached
                ixs);
    }

    private static Body jsonBody(JsonTx j, TxParts tx) {
        if (j.signatures == null || j.signatures.isEmpty()) {
            throw new IllegalArgumentException("transaction has no signatures");
        }
        for (int i = 0; i < j.signatures.size(); i++) {
            String sig = j.signatures.get(i);
            int len;
            try {
                len = Base58.decode(sig).length;
            } catch (MultiformatException e) {
                throw new IllegalArgumentException(
                        "signature " + i + " '" + sig + "' is not valid base58");
            }
            if (len != 64) {
                throw new IllegalArgumentException(
                        "signature "
                                + i
                                + " '"
                                + sig
                                + "' decodes to "
                                + len
                                + " bytes, expected 64");
            }
        }
        if (!j.messageSeen) {
            throw new IllegalArgumentException("field \"transaction.message\" is missing");
        }
        if (j.accountKeys == null || j.accountKeys.isEmpty()) {
            throw new IllegalArgumentException("the message has no accountKeys");
        }
        AccountKeys keys;
        if (j.parsedKeys) {
            keys = AccountKeys.ofStrings(j.accountKeys);
        } else {
            List<String> list = new ArrayList<>(j.accountKeys);
            if (tx.hasMeta && tx.loadedSeen) {
                list.addAll(tx.loadedWritable);
                list.addAll(tx.loadedReadonly);
            }
            if (j.lookupCount > 0 && list.size() != j.accountKeys.size() + j.lookupCount) {
                throw new IllegalArgumentException(
                        "address table lookups load "
                                + j.lookupCount
                                + " accounts but meta.loadedAddresses has "
                                + (list.size() - j.accountKeys.size()));
            }
            keys = AccountKeys.ofStrings(list);
        }
        List<Instruction> ixs = instructionList(j.instructions, keys, "instruction ");
        return new Body(
                j.signatures.get(0),
                j.signatures.size(),
                j.lookupsSeen ? "0" : null,
                keys,
                j.recentBlockhash,
                ixs);
    }

    private static List<Instruction> instructionList(
            List<RawInstruction> raw, AccountKeys keys, String whatPrefix) {
        List<Instruction> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(instruction(raw.get(i), keys, whatPrefix + i));
        }
        return out;
    }

    private static Instruction instruction(RawInstruction r, AccountKeys keys, String what) {
        int program;
        if (r.programIndexSeen) {
            program = r.programIdIndex;
            keys.check(program, what + " program id");
        } else {
            if (r.programId == null) {
                throw new IllegalArgumentException(
                        what + " has neither \"programIdIndex\" nor \"programId\"");
            }
            program = keys.indexOf(r.programId);
            if (program < 0) {
                throw new IllegalArgumentException(
                        what + " program " + r.programId + " is not among the account keys");
            }
        }
        int[] accounts = null;
        if (r.accountsSeen) {
            accounts = r.accountIndexes;
            for (int a = 0; a < accounts.length; a++) {
                if (r.accountNames != null && r.accountNames[a] != null) {
                    accounts[a] = keys.indexOf(r.accountNames[a]);
                    if (accounts[a] < 0) {
                        throw new IllegalArgumentException(
                                what
                                        + " account "
                                        + r.accountNames[a]
                                        + " is not among the account keys");
                    }
                } else {
                    keys.check(accounts[a], what);
                }
            }
        }
        return new Instruction(program, accounts, null, r.data, r.stackHeight);
    }

    private static List<TokenBalance> balances(
            List<RawBalance> raw, AccountKeys keys, String field) {
        if (raw == null || raw.isEmpty()) {
            return List.of();
        }
        List<TokenBalance> out = new ArrayList<>(raw.size());
        for (RawBalance b : raw) {
            keys.check(b.accountIndex, field);
            if (b.amount == null) {
                throw new IllegalArgumentException(
                        field
                                + " of account "
                                + b.accountIndex
                                + ": field \"uiTokenAmount.amount\" is missing");
            }
            String a = b.amount;
            boolean digits = !a.isEmpty();
            for (int i = 0; i < a.length() && digits; i++) {
                digits = a.charAt(i) >= '0' && a.charAt(i) <= '9';
            }
            if (!digits) {
                throw new IllegalArgumentException(
                        field
                                + " amount '"
                                + a
                                + "' of account "
                                + b.accountIndex
                                + " is not a non-negative integer");
            }
            if (b.mint == null) {
                throw new IllegalArgumentException(
                        field + " of account " + b.accountIndex + ": field \"mint\" is missing");
            }
            out.add(new TokenBalance(b.accountIndex, b.mint, b.owner, b.programId, a, b.decimals));
        }
        return out;
    }
}
