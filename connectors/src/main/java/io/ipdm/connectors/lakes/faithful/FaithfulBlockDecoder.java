package io.ipdm.connectors.lakes.faithful;

import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.block.AccountKeys;
import io.ipdm.connectors.solana.block.FilteredRows;
import io.ipdm.connectors.solana.block.InnerInstructions;
import io.ipdm.connectors.solana.block.Instruction;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaTransaction;
import io.ipdm.connectors.solana.block.TokenBalance;
import io.ipdm.connectors.solana.wire.CompiledInstruction;
import io.ipdm.connectors.solana.wire.WireTransaction;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decodes an Old Faithful Block node and the nodes it links straight into a {@link SolanaBlock}
 * (layouts in {@link FaithfulNodes}): the nodes are read in place with a {@link NodeCursor}, the
 * transaction bytes by {@link WireTransaction}, the metadata by {@link TransactionMeta} only when
 * {@link FaithfulNeeds} says a column needs it. The rows are those the getBlock decoder gives for
 * the same block ({@code FaithfulDecodeDifferentialTest}).
 *
 * <p>Errors are {@link LakesException}s in words: the archive, the slot, the transaction index,
 * where the node lies and what is wrong.
 */
public final class FaithfulBlockDecoder {
    /**
     * One node: its bytes in a buffer (not copied), its binary CID (in place too when it comes from
     * a CAR section) and where it lies, for messages.
     */
    public static final class Node {
        private final byte[] buf;
        private final int offset;
        private final int length;
        private final long archiveOffset;
        private final byte[] cidBuf;
        private final int cidOffset;
        private final int cidLength;
        private Cid cid;

        /** A node whose CID is known as a {@link Cid}. */
        public Node(byte[] buf, int offset, int length, long archiveOffset, Cid cid) {
            this.buf = buf;
            this.offset = offset;
            this.length = length;
            this.archiveOffset = archiveOffset;
            this.cid = cid;
            this.cidBuf = cid.toBytes();
            this.cidOffset = 0;
            this.cidLength = cidBuf.length;
        }

        /**
         * A node of a CAR section read in place: its binary CID is {@code buf[cidOffset, offset)},
         * right before its bytes (checked against them by the caller); parsed only for messages.
         */
        public Node(byte[] buf, int cidOffset, int offset, int length, long archiveOffset) {
            this.buf = buf;
            this.offset = offset;
            this.length = length;
            this.archiveOffset = archiveOffset;
            this.cidBuf = buf;
            this.cidOffset = cidOffset;
            this.cidLength = offset - cidOffset;
        }

        public byte[] buf() {
            return buf;
        }

        public int offset() {
            return offset;
        }

        public int length() {
            return length;
        }

        public long archiveOffset() {
            return archiveOffset;
        }

        byte[] cidBuf() {
            return cidBuf;
        }

        int cidOffset() {
            return cidOffset;
        }

        int cidLength() {
            return cidLength;
        }

        public Cid cid() {
            if (cid == null) {
                cid = Cid.fromBytes(Arrays.copyOfRange(cidBuf, cidOffset, cidOffset + cidLength));
            }
            return cid;
        }

        /** Where the node lies, for messages: its offset in the archive, else its CID. */
        public String at() {
            return archiveOffset >= 0 ? "at offset " + archiveOffset : String.valueOf(cid());
        }

        /**
         * The node kind (first list element), or -1 when the bytes are not an Old Faithful node.
         */
        public int kind() {
            try {
                NodeCursor c = new NodeCursor(buf, offset, length);
                c.array("node");
                long k = c.uint("kind");
                return k > Integer.MAX_VALUE ? -1 : (int) k;
            } catch (NodeCursor.NodeFormatException e) {
                return -1;
            }
        }
    }

    /** Resolves links to nodes; null when a node is not there. */
    public interface Nodes {
        /** The node whose binary CID is {@code buf[offset, offset + length)}, or null. */
        Node get(byte[] buf, int offset, int length);
    }

    /**
     * The error of a failed transaction whose metadata was read only for its status ({@link
     * FaithfulNeeds#statusOnly}): no read column holds it.
     */
    public static final String ERROR_NOT_READ = "(error not decoded: no column reads it)";

    private final String source;
    private final FaithfulNeeds needs;
    private final FilteredRows.TxFilter filter;

    /**
     * @param source the archive, for messages
     */
    public FaithfulBlockDecoder(String source, FaithfulNeeds needs) {
        this(source, needs, null);
    }

    /**
     * With a pushed-down filter (null: none): each transaction is offered to it before its metadata
     * is inflated; a dropped one is left out of the block, its metadata never read.
     */
    public FaithfulBlockDecoder(String source, FaithfulNeeds needs, FilteredRows.TxFilter filter) {
        this.source = source;
        this.needs = needs;
        this.filter = filter;
    }

    /** The slot of a Block node (for ordering checks before decoding it). */
    public static long slot(Node block) {
        NodeCursor c = new NodeCursor(block.buf(), block.offset(), block.length());
        c.array("Block node");
        c.uint("kind");
        return c.uint("slot");
    }

    /**
     * Decodes a Block node; {@code previousBlockhash} picks the parent's blockhash from the parent
     * slot ({@link FaithfulNodes#ZERO_HASH} when the parent is not known).
     */
    public SolanaBlock decode(
            Node block, Nodes nodes, java.util.function.LongFunction<String> previousBlockhash) {
        String where = source + ": the Block node " + block.at();
        NodeCursor c = new NodeCursor(block.buf(), block.offset(), block.length());
        long slot;
        // links as where their CIDs lie in the Block node: offset << 32 | length
        long[] entries;
        long parentSlot;
        Long blockTime;
        Long blockHeight;
        long rewards = -1;
        try {
            int n = c.array("the Block node");
            if (n < 5) {
                throw c.error("a Block node has 5 or 6 fields, this one " + n);
            }
            expectKind(c, FaithfulNodes.BLOCK);
            slot = c.uint("the slot");
            where = source + ": slot " + slot + " (Block node " + block.at() + ")";
            c.skip("the shredding list");
            entries = new long[c.array("the entry list")];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = link(c, "entry link ", i);
            }
            int m = c.array("the block meta");
            if (m < 1) {
                throw c.error("the block meta has no parent slot");
            }
            parentSlot = c.uint("the parent slot");
            blockTime = null;
            blockHeight = null;
            if (m > 1 && !c.nullHere()) {
                long t = c.integer("the block time");
                blockTime = t == 0 ? null : t;
            }
            if (m > 2 && !c.nullHere()) {
                blockHeight = c.uint("the block height");
            }
            for (int i = 3; i < m; i++) {
                c.skip("the block meta");
            }
            if (n > 5 && !c.nullHere()) {
                rewards = link(c, "the rewards link", -1);
            }
        } catch (NodeCursor.NodeFormatException e) {
            throw new LakesException(
                    where + " does not follow the Old Faithful schema: " + e.getMessage(), e);
        }
        if (entries.length == 0) {
            throw new LakesException(where + ": the Block node links no entries");
        }
        List<SolanaTransaction> txs = new ArrayList<>();
        int txIndex = 0; // transactions read, kept or not
        if (filter != null && needs.transactions()) {
            filter.block(slot, blockTime);
        }
        byte[] lastHash = null;
        // without transactions only the last entry is read (its hash is the blockhash)
        for (int e = needs.transactions() ? 0 : entries.length - 1; e < entries.length; e++) {
            Node entry =
                    require(
                            nodes,
                            block.buf(),
                            entries[e],
                            FaithfulNodes.ENTRY,
                            where,
                            "entry " + e);
            String entryWhere = where + ", entry " + e + " (" + entry.at() + ")";
            try {
                NodeCursor ec = new NodeCursor(entry.buf(), entry.offset(), entry.length());
                if (ec.array("the Entry node") < 4) {
                    throw ec.error("an Entry node has 4 fields");
                }
                expectKind(ec, FaithfulNodes.ENTRY);
                ec.uint("numHashes");
                int hashLen = ec.bytes("the entry hash");
                if (hashLen != 32) {
                    throw ec.error("the entry hash has " + hashLen + " bytes, not 32");
                }
                lastHash =
                        Arrays.copyOfRange(entry.buf(), ec.contentStart(), ec.contentStart() + 32);
                int k = needs.transactions() ? ec.array("the transaction list") : 0;
                for (int t = 0; t < k; t++) {
                    long link = link(ec, "transaction link ", t);
                    int index = txIndex++;
                    Node tx =
                            require(
                                    nodes,
                                    entry.buf(),
                                    link,
                                    FaithfulNodes.TRANSACTION,
                                    where,
                                    "transaction " + index);
                    SolanaTransaction decoded = transaction(tx, nodes, slot, index);
                    if (decoded != null) {
                        txs.add(decoded);
                    }
                }
            } catch (NodeCursor.NodeFormatException ex) {
                throw new LakesException(
                        entryWhere + " does not follow the Old Faithful schema: " + ex.getMessage(),
                        ex);
            }
        }
        BlockRewards.Leader leader = null;
        if (needs.rewards() && rewards >= 0 && !noRewards(block.buf(), rewards)) {
            Node r =
                    require(
                            nodes,
                            block.buf(),
                            rewards,
                            FaithfulNodes.REWARDS,
                            where,
                            "the rewards");
            String rWhere = where + ", the Rewards node " + r.at();
            try {
                NodeCursor rc = new NodeCursor(r.buf(), r.offset(), r.length());
                if (rc.array("the Rewards node") < 3) {
                    throw rc.error("a Rewards node has 3 fields");
                }
                expectKind(rc, FaithfulNodes.REWARDS);
                rc.uint("the slot");
                Slice data = frame(rc, nodes, () -> rWhere);
                leader = BlockRewards.leader(data.buf, data.offset, data.length);
            } catch (NodeCursor.NodeFormatException ex) {
                throw new LakesException(
                        rWhere + " does not follow the Old Faithful schema: " + ex.getMessage(),
                        ex);
            } catch (LakesException ex) {
                throw new LakesException(rWhere + ": " + ex.getMessage(), ex);
            }
        }
        return new SolanaBlock(
                source,
                true,
                slot,
                parentSlot,
                Base58.encode(lastHash),
                previousBlockhash.apply(parentSlot),
                blockTime,
                blockHeight,
                needs.transactions() ? txs : null,
                leader == null ? null : leader.pubkey(),
                leader == null ? null : leader.lamports());
    }

    /** The transaction, or null when the pushed-down filter dropped it. */
    private SolanaTransaction transaction(Node node, Nodes nodes, long slot, int index) {
        Slice wire;
        Slice meta;
        try {
            NodeCursor c = new NodeCursor(node.buf(), node.offset(), node.length());
            if (c.array("the Transaction node") < 4) {
                throw c.error("a Transaction node has 4 or 5 fields");
            }
            expectKind(c, FaithfulNodes.TRANSACTION);
            wire = frame(c, nodes, () -> txWhere(slot, index, node));
            meta = frame(c, nodes, () -> txWhere(slot, index, node));
        } catch (NodeCursor.NodeFormatException e) {
            throw new LakesException(
                    txWhere(slot, index, node)
                            + " does not follow the Old Faithful schema: "
                            + e.getMessage(),
                    e);
        }
        try {
            return transaction(wire, meta, slot, index);
        } catch (SolanaDecodeException | IllegalArgumentException | LakesException e) {
            throw new LakesException(txWhere(slot, index, node) + ": " + e.getMessage(), e);
        }
    }

    /** Built only for a message: most transactions never need it. */
    private String txWhere(long slot, int index, Node node) {
        return source
                + ": slot "
                + slot
                + ", transaction "
                + index
                + " (Transaction node "
                + node.at()
                + ")";
    }

    private SolanaTransaction transaction(Slice wire, Slice meta, long slot, int index) {
        // read where it lies: every field the model keeps is copied out
        WireTransaction w = WireTransaction.decode(wire.buf, wire.offset, wire.length);
        if (w.signatures().length == 0) {
            throw new IllegalArgumentException("the transaction has no signatures");
        }
        byte[][] staticKeys = w.staticAccountKeys();
        int needW = w.loadedWritableCount();
        int needR = w.loadedReadonlyCount();
        boolean programLoaded = false;
        for (CompiledInstruction ci : w.instructions()) {
            programLoaded |= ci.programIdIndex() >= staticKeys.length;
        }
        if (needW + needR > 0 && meta.length == 0) {
            throw new IllegalArgumentException(
                    "the v0 transaction loads "
                            + (needW + needR)
                            + " accounts from address tables but has no metadata to say which");
        }
        boolean inflate =
                meta.length > 0
                        && (needs.meta()
                                || (needW + needR > 0 && (needs.loadedKeys() || programLoaded)));
        String signature = needs.signature() ? Base58.encode(w.signatures()[0]) : null;
        String recentBlockhash =
                needs.recentBlockhash() ? AccountKeys.text(w.recentBlockhash()) : null;
        // the pushed-down filter reads no metadata: asked first, a dropped transaction's frame is
        // never inflated (unless a program id is a loaded key, which only the metadata names)
        boolean asked = filter != null && !(programLoaded && needW + needR > 0);
        List<Instruction> ixs = null; // checked against the key count, which the metadata keeps
        if (asked) {
            AccountKeys cheap = AccountKeys.withUndecoded(staticKeys, needW + needR);
            if (cheap.size() == 0) {
                throw new IllegalArgumentException("the transaction has no account keys");
            }
            SolanaTransaction unmetered =
                    SolanaTransaction.withoutMeta(
                            index,
                            signature,
                            w.signatures().length,
                            w.versionName(),
                            cheap,
                            recentBlockhash,
                            ixs = instructions(w, cheap));
            if (!filter.keep(unmetered)) {
                return null;
            }
            if (!inflate) {
                return unmetered;
            }
        }
        TransactionMeta m = null;
        // only the status read: from the frame's first byte, unless a loaded key is needed too
        int status =
                inflate && needs.statusOnly() && !(needW + needR > 0 && programLoaded)
                        ? TransactionMeta.status(meta.buf, meta.offset, meta.length, slot)
                        : TransactionMeta.STATUS_UNKNOWN;
        AccountKeys keys;
        if (inflate && status == TransactionMeta.STATUS_UNKNOWN) {
            m =
                    TransactionMeta.decode(
                            meta.buf, meta.offset, meta.length, slot, needs.metaFields());
            List<byte[]> writable = m.loadedWritable;
            List<byte[]> readonly = m.loadedReadonly;
            if (writable.size() != needW || readonly.size() != needR) {
                throw new IllegalArgumentException(
                        "the address table lookups load "
                                + needW
                                + " writable and "
                                + needR
                                + " readonly accounts but the metadata lists "
                                + writable.size()
                                + " and "
                                + readonly.size());
            }
            if (needW + needR == 0) {
                keys = AccountKeys.ofRaw(staticKeys);
            } else {
                byte[][] all = Arrays.copyOf(staticKeys, staticKeys.length + needW + needR);
                int i = staticKeys.length;
                for (byte[] k : writable) {
                    all[i++] = k;
                }
                for (byte[] k : readonly) {
                    all[i++] = k;
                }
                keys = AccountKeys.ofRaw(all);
            }
        } else {
            // no column reads them (FaithfulNeeds): only their count is known; reading one throws
            // (a status-only read does not check the metadata's count of them either)
            keys = AccountKeys.withUndecoded(staticKeys, needW + needR);
        }
        if (keys.size() == 0) {
            throw new IllegalArgumentException("the transaction has no account keys");
        }
        if (ixs == null) {
            ixs = instructions(w, keys);
        }
        List<InnerInstructions> inner = List.of();
        List<TokenBalance> pre = List.of();
        List<TokenBalance> post = List.of();
        if (m != null) {
            if (m.inner != null) {
                inner = m.inner;
                for (InnerInstructions group : inner) {
                    List<Instruction> list = group.instructions();
                    for (int i = 0; i < list.size(); i++) {
                        Instruction ix = list.get(i);
                        checkKeys(keys, ix.programIdIndex(), ix.accounts(), group.index(), i);
                    }
                }
            }
            pre = checked(m.preTokenBalances, keys, "pre token balance");
            post = checked(m.postTokenBalances, keys, "post token balance");
        }
        SolanaTransaction tx =
                new SolanaTransaction(
                        index,
                        signature,
                        w.signatures().length,
                        w.versionName(),
                        keys,
                        recentBlockhash,
                        ixs,
                        inner,
                        m != null || status != TransactionMeta.STATUS_UNKNOWN,
                        m == null ? null : m.fee,
                        m != null
                                ? m.error
                                : status == TransactionMeta.FAILED ? ERROR_NOT_READ : null,
                        m == null ? null : m.computeUnits,
                        pre,
                        post);
        return filter == null || asked || filter.keep(tx) ? tx : null;
    }

    private static List<Instruction> instructions(WireTransaction w, AccountKeys keys) {
        List<Instruction> ixs = new ArrayList<>(w.instructions().size());
        for (int i = 0; i < w.instructions().size(); i++) {
            CompiledInstruction ci = w.instructions().get(i);
            checkKeys(keys, ci.programIdIndex(), ci.accountIndexes(), -1, i);
            ixs.add(
                    new Instruction(
                            ci.programIdIndex(), ci.accountIndexes(), ci.data(), null, null));
        }
        return ixs;
    }

    /**
     * Checks an instruction's key indexes; the message (naming instruction {@code i}, or inner
     * instruction {@code i} of instruction {@code outer} when {@code outer >= 0}) is built only on
     * failure.
     */
    private static void checkKeys(AccountKeys keys, int program, int[] accounts, int outer, int i) {
        int n = keys.size();
        boolean ok = program >= 0 && program < n;
        for (int a : accounts) {
            ok &= a >= 0 && a < n;
        }
        if (ok) {
            return;
        }
        String what =
                outer < 0
                        ? "instruction " + i
                        : "inner instruction " + i + " of instruction " + outer;
        keys.check(program, what + " program id");
        for (int a : accounts) {
            keys.check(a, what);
        }
    }

    private static List<TokenBalance> checked(
            List<TokenBalance> list, AccountKeys keys, String what) {
        for (TokenBalance b : list) {
            keys.check(b.accountIndex(), what);
            String raw = b.amount();
            if (raw.isEmpty() || !raw.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new IllegalArgumentException(
                        what
                                + " amount '"
                                + raw
                                + "' of account "
                                + b.accountIndex()
                                + " is not a non-negative integer");
            }
        }
        return list;
    }

    private static void expectKind(NodeCursor c, int kind) {
        long k = c.uint("the node kind");
        if (k != kind) {
            throw c.error(
                    "the node kind is "
                            + (k >= 0 && k < 7
                                    ? FaithfulNodes.kindName((int) k)
                                    : "unknown (" + k + ")")
                            + " where a "
                            + FaithfulNodes.kindName(kind)
                            + " belongs");
        }
    }

    /** A byte range of a buffer. */
    private record Slice(byte[] buf, int offset, int length) {}

    /**
     * The data of the DataFrame at the cursor: {@code [6, hash?, index?, total?, data, next?]}; a
     * slice of the node when it is one frame, the concatenation of the frames its {@code next}
     * links when it continues.
     */
    private static Slice frame(NodeCursor c, Nodes nodes, Supplier<String> where) {
        int n = c.array("a DataFrame");
        if (n < 5) {
            throw c.error("a DataFrame has 5 or 6 fields, this one " + n);
        }
        expectKind(c, FaithfulNodes.DATA_FRAME);
        for (int i = 0; i < 3; i++) {
            c.skip("the DataFrame's hash, index and total");
        }
        int len = c.bytes("the DataFrame's data");
        Slice first = new Slice(c.buffer(), c.contentStart(), len);
        long[] next = NO_LINKS;
        if (n > 5 && !c.nullHere()) {
            next = new long[c.array("the DataFrame's next links")];
            for (int i = 0; i < next.length; i++) {
                next[i] = link(c, "next link ", i);
            }
        }
        for (int i = 6; i < n; i++) {
            c.skip("a DataFrame");
        }
        if (next.length == 0) {
            return first;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first.buf, first.offset, first.length);
        for (long k : next) {
            Node f =
                    require(
                            nodes,
                            c.buffer(),
                            k,
                            FaithfulNodes.DATA_FRAME,
                            where.get(),
                            "a continued DataFrame");
            Slice s = frame(new NodeCursor(f.buf(), f.offset(), f.length()), nodes, where);
            out.write(s.buf, s.offset, s.length);
        }
        byte[] all = out.toByteArray();
        return new Slice(all, 0, all.length);
    }

    private static final long[] NO_LINKS = new long[0];

    /**
     * The link at the cursor as where its CID lies in the cursor's buffer ({@code offset << 32 |
     * length}); {@code what} and {@code i} (when not negative) name it in errors.
     */
    private static long link(NodeCursor c, String what, int i) {
        int at = c.link(what, i);
        return ((long) at << 32) | c.linkLength();
    }

    /** A link with an empty identity digest: Old Faithful's "no rewards". */
    private static boolean noRewards(byte[] buf, long link) {
        try {
            return cid(buf, link).multihash().digest().length == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Cid cid(byte[] buf, long link) {
        int at = (int) (link >>> 32);
        return Cid.fromBytes(Arrays.copyOfRange(buf, at, at + (int) link));
    }

    private static Node require(
            Nodes nodes, byte[] buf, long cid, int kind, String where, String what) {
        Node n = nodes.get(buf, (int) (cid >>> 32), (int) cid);
        if (n == null) {
            throw new LakesException(
                    where
                            + ": "
                            + what
                            + " ("
                            + FaithfulNodes.kindName(kind)
                            + " node "
                            + name(buf, cid)
                            + ") is missing");
        }
        int k = n.kind();
        if (k != kind) {
            throw new LakesException(
                    where
                            + ": "
                            + what
                            + " links "
                            + name(buf, cid)
                            + " ("
                            + n.at()
                            + "), which is "
                            + (k >= 0 && k < 7
                                    ? "a " + FaithfulNodes.kindName(k) + " node"
                                    : k < 0
                                            ? "not an Old Faithful node"
                                            : "a node of unknown kind " + k)
                            + " where a "
                            + FaithfulNodes.kindName(kind)
                            + " node belongs");
        }
        return n;
    }

    private static String name(byte[] buf, long link) {
        try {
            return cid(buf, link).toString();
        } catch (RuntimeException e) {
            return "a malformed CID";
        }
    }
}
