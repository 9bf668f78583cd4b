package io.ipdm.connectors.solana.block;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.block.TxParts.JsonTx;
import io.ipdm.connectors.solana.block.TxParts.RawBalance;
import io.ipdm.connectors.solana.block.TxParts.RawGroup;
import io.ipdm.connectors.solana.block.TxParts.RawInstruction;
import io.ipdm.connectors.solana.wire.MalformedTransactionException;
import io.ipdm.connectors.solana.wire.SignatureCheck;
import io.ipdm.connectors.solana.wire.WireTransaction;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.MultiformatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One decode of one getBlock/getTransaction response from a token stream ({@link JsonTokens}):
 * fields are read in whatever order they come, a transaction's parts are gathered until its object
 * ends (meta may precede the transaction it describes), then checked and built into the model. See
 * {@link GetBlockDecoder} for the contract. Not thread-safe: one instance per call.
 *
 * <p>Hot path: long by design, one method per JSON object kind, no intermediate tree; wire
 * transactions are decoded from the token source's bytes in place (the response itself for {@link
 * JsonScanner}): base58 into one reused byte buffer, base64 by the JDK's vectorised decoder.
 */
final class BlockParser {
    private static final int NO_TX = -2;
    private static final int SINGLE_TX = -1;
    private static final byte[] PROGRAM_ID_INDEX =
            "programIdIndex".getBytes(StandardCharsets.US_ASCII);
    private static final int[] BASE64 = new int[256];

    /**
     * A base64 digit by its byte already shifted to its place in a group of four (-1 when not a
     * digit, so a group with any bad byte ORs to a negative value): one load and OR per byte.
     */
    private static final int[] B64_0 = new int[256];

    private static final int[] B64_1 = new int[256];
    private static final int[] B64_2 = new int[256];

    static {
        Arrays.fill(BASE64, -1);
        String a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < a.length(); i++) {
            BASE64[a.charAt(i)] = i;
        }
        for (int c = 0; c < 256; c++) {
            int d = BASE64[c];
            B64_0[c] = d < 0 ? -1 : d << 18;
            B64_1[c] = d < 0 ? -1 : d << 12;
            B64_2[c] = d < 0 ? -1 : d << 6;
        }
    }

    private static final java.util.Base64.Decoder JDK_BASE64 = java.util.Base64.getDecoder();

    /** Shorter base64 is decoded by the table loop (the JDK's allocates its output). */
    private static final int JDK_BASE64_FROM = 64;

    /** A mistake in the input, in words; the caller adds where. Cheap: no stack trace. */
    private static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }

    private JsonTokens p; // a deferred meta's own stream while it is read
    private final String source;
    private final Long slotHint;
    private final Projection projection;
    private final boolean verify;
    private final boolean readInner;
    private final boolean readInnerDetail;
    private final boolean readBalances;
    private final boolean readSignature;
    private byte[] bin = new byte[2048];

    private boolean envelope;
    private boolean resultSeen;
    private boolean resultNull;
    private String rpcError;
    private Long slotField;
    private Long parentSlot;
    private String blockhash;
    private String previousBlockhash;
    private Long blockTime;
    private Long blockHeight;
    private List<SolanaTransaction> transactions;
    private String leader;
    private Long leaderReward;
    private TxParts single;
    private Integer transactionIndex;
    private int currentTx = NO_TX;

    // predicate push-down: transactions' parts with their meta left unread, filtered once the
    // block's slot and time are known (they may follow the transactions)
    private final FilteredRows.TxFilter filter;
    private boolean deferMeta;
    private JsonTokens deferredMeta;
    private List<TxParts> pendingParts;
    private List<JsonTokens> pendingMetas;

    BlockParser(JsonTokens p, String source, Long slotHint, Projection projection, boolean verify) {
        this(p, source, slotHint, projection, verify, null);
    }

    /**
     * With a pushed-down filter (null: none): a block's transactions are offered to it before their
     * {@code meta} objects are read (those are checked and skipped until then), and the dropped
     * ones are left out of the block.
     */
    BlockParser(
            JsonTokens p,
            String source,
            Long slotHint,
            Projection projection,
            boolean verify,
            FilteredRows.TxFilter filter) {
        this.filter = filter;
        this.p = p;
        this.source = source;
        this.slotHint = slotHint;
        this.projection = projection;
        this.verify = verify;
        this.readInner = projection.innerInstructions(); // asked once: not per transaction
        this.readInnerDetail = projection.innerInstructionDetail();
        this.readBalances = projection.tokenBalances();
        this.readSignature = TxParts.signatureText(projection);
    }

    SolanaBlock parse() {
        try (JsonTokens input = p) {
            JsonToken t = input.next();
            if (t == null) {
                throw new Bad(
                        "the input is empty: expected a getBlock or getTransaction response (a"
                                + " JSON object)");
            }
            if (t != START_OBJECT) {
                throw new Bad(
                        "expected a getBlock or getTransaction response (a JSON object), found "
                                + GetBlockDecoder.describe(t));
            }
            topLevel();
            if (p.next() != null) {
                throw new Bad("unexpected content after the response object" + p.location());
            }
            filterPending();
            return build();
        } catch (Bad e) {
            throw new SolanaDecodeException(where() + e.getMessage());
        } catch (JsonTokens.MalformedJson e) {
            throw new SolanaDecodeException(where() + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- where and how it went wrong

    /** "file: slot S, transaction I: " with what is known so far. */
    private String where() {
        StringBuilder sb = new StringBuilder(source).append(": ");
        Long slot = bestSlot();
        if (slot != null) {
            sb.append("slot ").append(slot);
        }
        if (currentTx != NO_TX) {
            sb.append(slot != null ? ", " : "").append("transaction");
            Integer index = currentTx >= 0 ? Integer.valueOf(currentTx) : transactionIndex;
            if (index != null) {
                sb.append(' ').append(index);
            }
        }
        if (slot != null || currentTx != NO_TX) {
            sb.append(": ");
        }
        return sb.toString();
    }

    private Long bestSlot() {
        if (slotField != null) {
            return slotField;
        }
        if (slotHint != null) {
            return slotHint;
        }
        return parentSlot == null ? null : parentSlot + 1;
    }

    private Bad typeError(Object field, String expected, JsonToken t) {
        String got = GetBlockDecoder.describe(t);
        if (t != null && t.isScalarValue() && t != VALUE_NULL) {
            String text = p.text();
            if (text.length() > 40) {
                text = text.substring(0, 40) + "...";
            }
            got += " (" + (t == VALUE_STRING ? "\"" + text + "\"" : text) + ")";
        }
        return new Bad(
                "field \"" + field + "\" must be " + expected + ", got " + got + p.location());
    }

    /** A field path for errors, turned into text only when one is thrown. */
    private record FieldPath(Object parent, int index, String leaf) {
        @Override
        public String toString() {
            return index >= 0 ? parent + "[" + index + "]" : parent + "." + leaf;
        }
    }

    private static Object at(Object base, int index) {
        return new FieldPath(base, index, null);
    }

    private static Object dot(Object base, String leaf) {
        return new FieldPath(base, -1, leaf);
    }

    // ---------------------------------------------------------------- scalar readers

    private long nonNegativeLong(Object field, JsonToken t) {
        if (t != VALUE_NUMBER_INT) {
            throw typeError(field, "a non-negative integer", t);
        }
        if (p.numberType() == NumberType.BIG_INTEGER) {
            throw new Bad("field \"" + field + "\" is too large: " + p.text());
        }
        long v = p.longValue();
        if (v < 0) {
            throw new Bad("field \"" + field + "\" must be a non-negative integer, got " + v);
        }
        return v;
    }

    private Long optNonNegativeLong(Object field, JsonToken t) {
        if (t == VALUE_NULL) {
            return null;
        }
        if (t != VALUE_NUMBER_INT) {
            throw typeError(field, "a non-negative integer or null", t);
        }
        return nonNegativeLong(field, t);
    }

    private int intValue(Object field, JsonToken t) {
        if (t != VALUE_NUMBER_INT) {
            throw typeError(field, "an integer", t);
        }
        NumberType type = p.numberType();
        // A tree read back as tokens may hold small values as longs.
        if (type == NumberType.INT || type == NumberType.LONG) {
            long v = p.longValue();
            if (v == (int) v) {
                return (int) v;
            }
        }
        throw new Bad("field \"" + field + "\" is out of range: " + p.text());
    }

    private String optText(Object field, JsonToken t) {
        if (t == VALUE_NULL) {
            return null;
        }
        if (t != VALUE_STRING) {
            throw typeError(field, "a string", t);
        }
        return p.text();
    }

    private List<String> textList(Object field, JsonToken t) {
        if (t == VALUE_NULL) {
            return List.of();
        }
        if (t != START_ARRAY) {
            throw typeError(field, "an array of strings", t);
        }
        List<String> out = new ArrayList<>();
        while ((t = p.next()) != END_ARRAY) {
            if (t != VALUE_STRING) {
                throw typeError(at(field, out.size()), "a string", t);
            }
            out.add(p.text());
        }
        return out;
    }

    private void expectObject(Object field, JsonToken t) {
        if (t != START_OBJECT) {
            throw typeError(field, "an object", t);
        }
    }

    // ---------------------------------------------------------------- the response object

    private void topLevel() {
        JsonToken t;
        while ((t = p.next()) == FIELD_NAME) {
            String name = p.name();
            t = p.next();
            switch (name) {
                case "jsonrpc", "id" -> {
                    envelope = true;
                    p.skipChildren();
                }
                case "error" -> {
                    if (t != VALUE_NULL) {
                        JsonNode e = p.readTree();
                        rpcError = e.path("code").asText("?") + ": " + e.path("message").asText("");
                    }
                }
                case "result" -> {
                    envelope = true;
                    resultSeen = true;
                    if (t == VALUE_NULL) {
                        resultNull = true;
                    } else if (t == START_OBJECT) {
                        JsonToken f;
                        while ((f = p.next()) == FIELD_NAME) {
                            String n = p.name();
                            resultField(n, p.next());
                        }
                    } else {
                        throw typeError("result", "an object or null", t);
                    }
                }
                default -> resultField(name, t);
            }
        }
    }

    private void resultField(String name, JsonToken t) {
        switch (name) {
            case "slot" -> slotField = nonNegativeLong("slot", t);
            case "parentSlot" -> parentSlot = optNonNegativeLong("parentSlot", t);
            case "blockhash" -> blockhash = optText("blockhash", t);
            case "previousBlockhash" -> previousBlockhash = optText("previousBlockhash", t);
            case "blockTime" -> blockTime = optNonNegativeLong("blockTime", t);
            case "blockHeight" -> blockHeight = optNonNegativeLong("blockHeight", t);
            case "transactions" -> transactions(t);
            case "rewards" -> rewards(t);
            case "transactionIndex" -> transactionIndex = intValue("transactionIndex", t);
            case "transaction", "meta", "version" -> {
                if (single == null) {
                    single = new TxParts();
                }
                int was = currentTx;
                currentTx = SINGLE_TX;
                txField(single, name, t);
                currentTx = was;
            }
            default -> p.skipChildren();
        }
    }

    private void transactions(JsonToken t) {
        if (t == VALUE_NULL) {
            return;
        }
        if (t != START_ARRAY) {
            throw typeError("transactions", "an array or null", t);
        }
        if (!projection.transactions()) {
            p.skipChildren();
            return;
        }
        List<SolanaTransaction> txs = new ArrayList<>();
        if (filter != null) {
            pendingParts = new ArrayList<>();
            pendingMetas = new ArrayList<>();
        }
        int i = 0;
        while ((t = p.next()) != END_ARRAY) {
            currentTx = i;
            if (t != START_OBJECT) {
                throw new Bad(
                        "must be an object {transaction, meta, version}, got "
                                + GetBlockDecoder.describe(t));
            }
            TxParts parts = new TxParts();
            deferMeta = filter != null;
            while ((t = p.next()) == FIELD_NAME) {
                String name = p.name();
                if (!txField(parts, name, p.next())) {
                    p.skipChildren();
                }
            }
            deferMeta = false;
            if (filter != null) {
                pendingParts.add(parts);
                pendingMetas.add(deferredMeta);
                deferredMeta = null;
            } else {
                txs.add(buildTransaction(parts, i));
            }
            i++;
        }
        currentTx = NO_TX;
        transactions = txs;
    }

    /**
     * Predicate push-down, once the block's slot and time are known: each transaction built without
     * its meta is offered to the filter, and only a kept one's meta is read (a transaction that
     * loads accounts from address tables has its meta read first: only it says which). Errors name
     * the transaction as they would have while parsing.
     */
    private void filterPending() {
        if (pendingParts == null) {
            return;
        }
        Long slot = bestSlot();
        if (slot == null) {
            return; // build() says the slot is unknown
        }
        filter.block(slot, blockTime);
        List<SolanaTransaction> txs = new ArrayList<>();
        for (int i = 0; i < pendingParts.size(); i++) {
            currentTx = i;
            TxParts parts = pendingParts.get(i);
            JsonTokens meta = pendingMetas.get(i);
            if (meta != null && loadsAddresses(parts)) {
                readMeta(parts, meta);
                meta = null;
            }
            SolanaTransaction tx;
            if (meta != null) {
                parts.hasMeta = false;
                SolanaTransaction withoutMeta = buildTransaction(parts, i);
                if (!filter.keep(withoutMeta)) {
                    continue;
                }
                parts.hasMeta = true;
                readMeta(parts, meta);
                tx = withMeta(withoutMeta, parts);
            } else {
                tx = buildTransaction(parts, i);
                if (!filter.keep(tx)) {
                    continue;
                }
            }
            txs.add(tx);
        }
        currentTx = NO_TX;
        transactions = txs;
        pendingParts = null;
        pendingMetas = null;
    }

    private static boolean loadsAddresses(TxParts tx) {
        return tx.wire != null
                ? tx.wire.loadedWritableCount() + tx.wire.loadedReadonlyCount() > 0
                : tx.json != null && tx.json.lookupCount > 0;
    }

    private void readMeta(TxParts tx, JsonTokens meta) {
        JsonTokens outer = p;
        p = meta;
        try {
            p.next(); // its START_OBJECT
            meta(tx);
        } finally {
            p = outer;
        }
    }

    private void rewards(JsonToken t) {
        if (t == VALUE_NULL) {
            return;
        }
        if (t != START_ARRAY) {
            throw typeError("rewards", "an array or null", t);
        }
        if (!projection.rewards()) {
            p.skipChildren();
            return;
        }
        int i = 0;
        while ((t = p.next()) != END_ARRAY) {
            Object field = at("rewards", i);
            expectObject(field, t);
            String pubkey = null;
            String type = null;
            long lamports = 0;
            while ((t = p.next()) == FIELD_NAME) {
                String name = p.name();
                t = p.next();
                switch (name) {
                    case "pubkey" -> pubkey = optText(dot(field, "pubkey"), t);
                    case "rewardType" -> type = optText(dot(field, "rewardType"), t);
                    case "lamports" -> {
                        if (t != VALUE_NUMBER_INT) {
                            throw typeError(dot(field, "lamports"), "an integer", t);
                        }
                        lamports = p.longValue();
                    }
                    default -> p.skipChildren();
                }
            }
            if ("Fee".equals(type)) {
                leader = pubkey;
                leaderReward = (leaderReward == null ? 0 : leaderReward) + lamports;
            }
            i++;
        }
    }

    private SolanaBlock build() {
        if (rpcError != null) {
            throw new Bad("the JSON-RPC response is an error: " + rpcError);
        }
        if (resultNull) {
            throw new Bad("JSON-RPC result is null (slot skipped or not available)");
        }
        if (envelope && !resultSeen) {
            throw new Bad("the JSON-RPC response has neither a result nor an error");
        }
        if (single != null && slotField != null) {
            currentTx = SINGLE_TX;
            int index = transactionIndex == null ? -1 : transactionIndex;
            SolanaTransaction tx = buildTransaction(single, index);
            currentTx = NO_TX;
            return new SolanaBlock(
                    source,
                    false,
                    slotField,
                    null,
                    null,
                    null,
                    blockTime,
                    null,
                    List.of(tx),
                    null,
                    null);
        }
        Long slot = bestSlot();
        if (slot == null) {
            throw new Bad(
                    "cannot tell the slot: no slot given, no slot in the file name, no"
                            + " parentSlot");
        }
        if (blockhash == null) {
            throw new Bad("field \"blockhash\" is missing");
        }
        if (previousBlockhash == null) {
            throw new Bad("field \"previousBlockhash\" is missing");
        }
        if (parentSlot == null) {
            throw new Bad("field \"parentSlot\" is missing");
        }
        return new SolanaBlock(
                source,
                true,
                slot,
                parentSlot,
                blockhash,
                previousBlockhash,
                blockTime,
                blockHeight,
                transactions,
                leader,
                leaderReward);
    }

    // ---------------------------------------------------------------- one transaction

    /** Reads one field of a transaction object; false when it is not one of its fields. */
    private boolean txField(TxParts tx, String name, JsonToken t) {
        switch (name) {
            case "transaction" -> {
                if (t == START_ARRAY) {
                    tx.transactionSeen = true;
                    tx.wire = wire();
                } else if (t == START_OBJECT) {
                    tx.transactionSeen = true;
                    tx.json = jsonTransaction();
                } else if (t != VALUE_NULL) {
                    throw typeError("transaction", "an array [data, encoding] or an object", t);
                }
            }
            case "meta" -> {
                if (t == START_OBJECT) {
                    tx.hasMeta = true;
                    JsonTokens later = deferMeta ? p.deferValue() : null;
                    if (later != null) {
                        deferredMeta = later;
                    } else {
                        meta(tx);
                    }
                } else if (t != VALUE_NULL) {
                    throw typeError("meta", "an object or null", t);
                }
            }
            case "version" -> {
                if (t == VALUE_STRING || t == VALUE_NUMBER_INT) {
                    tx.declaredVersion = p.text();
                } else if (t != VALUE_NULL) {
                    throw typeError("version", "\"legacy\", a version number or null", t);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** {@code [data, encoding]}: decoded into {@link #bin}, then parsed (fields copied). */
    private WireTransaction wire() {
        JsonToken t = p.next();
        if (t != VALUE_STRING) {
            throw typeError("transaction[0]", "the encoded transaction (a string)", t);
        }
        // Stays valid while the encoding is read (see JsonTokens.rawText).
        byte[] data = p.rawText();
        int from = p.rawStart();
        int n = p.rawEnd() - from;
        t = p.next();
        if (t != VALUE_STRING) {
            throw typeError("transaction[1]", "the encoding (\"base64\" or \"base58\")", t);
        }
        boolean base64 = p.textEquals("base64");
        String encoding = base64 ? "base64" : p.textEquals("base58") ? "base58" : p.text();
        int elements = 2;
        while ((t = p.next()) != END_ARRAY) {
            p.skipChildren();
            elements++;
        }
        if (elements != 2) {
            throw new Bad(
                    "field \"transaction\" must be [data, encoding], got "
                            + elements
                            + " elements");
        }
        int len =
                switch (encoding) {
                    case "base64" -> base64(data, from, n);
                    case "base58" -> base58(data, from, n);
                    default ->
                            throw new Bad(
                                    "unsupported transaction encoding \""
                                            + encoding
                                            + "\"; supported: base64, base58, json, jsonParsed");
                };
        WireTransaction w;
        try {
            w = WireTransaction.decode(bin, 0, len);
        } catch (MalformedTransactionException e) {
            throw new Bad(
                    "the transaction's bytes are malformed at byte "
                            + e.offset()
                            + " of "
                            + len
                            + ": "
                            + e.reason());
        }
        if (verify) {
            verify(w, len);
        }
        return w;
    }

    /** Decodes {@code n} UTF-8 bytes of base64 at {@code src[from]} into {@link #bin}. */
    private int base64(byte[] src, int from, int n) {
        int end = n;
        while (end > 0 && src[from + end - 1] == '=') {
            end--;
        }
        if (n - end > 2 || (n != end && n % 4 != 0) || end % 4 == 1) {
            throw new Bad(
                    "field \"transaction\" is not valid base64 (wrong length or padding: "
                            + text(src, from, n).length()
                            + " characters)");
        }
        if (n >= JDK_BASE64_FROM) {
            // The JDK's decoder runs a vectorised intrinsic on long inputs; it accepts exactly
            // what the checks above and the loop below accept, and on a bad character the loop
            // below runs to name it.
            try {
                java.nio.ByteBuffer d = JDK_BASE64.decode(java.nio.ByteBuffer.wrap(src, from, n));
                bin = d.array();
                return d.limit();
            } catch (IllegalArgumentException e) {
                // named below
            }
        }
        int out = end / 4 * 3 + (end % 4 == 0 ? 0 : end % 4 - 1);
        if (bin.length < out) {
            bin = new byte[Math.max(out, bin.length * 2)];
        }
        int[] map = BASE64;
        byte[] b = bin;
        int i = from;
        int o = 0;
        int full = from + (end & ~3);
        for (; i < full; i += 4) {
            int v =
                    B64_0[src[i] & 0xff]
                            | B64_1[src[i + 1] & 0xff]
                            | B64_2[src[i + 2] & 0xff]
                            | map[src[i + 3] & 0xff];
            if (v < 0) {
                throw badBase64(src, from, n, i - from);
            }
            b[o] = (byte) (v >> 16);
            b[o + 1] = (byte) (v >> 8);
            b[o + 2] = (byte) v;
            o += 3;
        }
        int rest = from + end - full;
        if (rest > 0) {
            int v = 0;
            for (int k = 0; k < rest; k++) {
                int d = map[src[i + k] & 0xff];
                if (d < 0) {
                    throw badBase64(src, from, n, i - from);
                }
                v |= d << (18 - 6 * k);
            }
            b[o++] = (byte) (v >> 16);
            if (rest == 3) {
                b[o++] = (byte) (v >> 8);
            }
        }
        return o;
    }

    private static String text(byte[] src, int from, int n) {
        return new String(src, from, n, StandardCharsets.UTF_8);
    }

    /** Names the first bad character at or after {@code quad} (all before it are ASCII). */
    private static Bad badBase64(byte[] src, int from, int n, int quad) {
        String text = text(src, from, n);
        int at = quad;
        while (at < text.length() && text.charAt(at) < 256 && BASE64[text.charAt(at)] >= 0) {
            at++;
        }
        return new Bad(
                "field \"transaction\" is not valid base64 (character "
                        + (at < text.length() ? printable(text.charAt(at)) : "?")
                        + " at position "
                        + at
                        + ")");
    }

    private int base58(byte[] src, int from, int n) {
        int max = Base58.maxDecodedLength(n);
        if (bin.length < max) {
            bin = new byte[Math.max(max, bin.length * 2)];
        }
        try {
            return Base58.decode(src, from, n, bin, 0);
        } catch (MultiformatException e) {
            String text = text(src, from, n);
            int at = 0;
            while (at < text.length() && isBase58(text.charAt(at))) {
                at++;
            }
            throw new Bad(
                    "field \"transaction\" is not valid base58 (character "
                            + (at < text.length() ? printable(text.charAt(at)) : "?")
                            + " at position "
                            + at
                            + ")");
        }
    }

    private static boolean isBase58(char c) {
        return c < 128
                && "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".indexOf(c) >= 0;
    }

    private static String printable(char c) {
        return c >= 32 && c < 127 ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private void verify(WireTransaction w, int len) {
        byte[][] sigs = w.signatures();
        if (sigs.length != w.numRequiredSignatures()) {
            throw new Bad(
                    "has "
                            + sigs.length
                            + " signatures but its message header requires "
                            + w.numRequiredSignatures());
        }
        byte[] message = Arrays.copyOfRange(bin, w.messageOffset(), len);
        for (int i = 0; i < sigs.length; i++) {
            if (!SignatureCheck.verify(w.staticAccountKeys()[i], message, sigs[i])) {
                throw new Bad(
                        "signature "
                                + i
                                + " ("
                                + Base58.encode(sigs[i])
                                + ") does not verify: it is not account "
                                + Base58.encode(w.staticAccountKeys()[i])
                                + "'s Ed25519 signature of the message bytes (transaction"
                                + " altered or corrupt)");
            }
        }
    }

    private JsonTx jsonTransaction() {
        if (verify) {
            throw new Bad(
                    "cannot verify signatures of a json-encoded transaction: verify_signatures"
                            + " needs the base64 or base58 encoding");
        }
        JsonTx tx = new JsonTx();
        JsonToken t;
        while ((t = p.next()) == FIELD_NAME) {
            String name = p.name();
            t = p.next();
            switch (name) {
                case "signatures" -> tx.signatures = textList("transaction.signatures", t);
                case "message" -> {
                    expectObject("transaction.message", t);
                    tx.messageSeen = true;
                    message(tx);
                }
                default -> p.skipChildren();
            }
        }
        return tx;
    }

    private void message(JsonTx tx) {
        JsonToken t;
        while ((t = p.next()) == FIELD_NAME) {
            String name = p.name();
            t = p.next();
            switch (name) {
                case "accountKeys" -> accountKeys(tx, t);
                case "recentBlockhash" ->
                        tx.recentBlockhash = optText("message.recentBlockhash", t);
                case "instructions" ->
                        tx.instructions = instructions("message.instructions", t, true);
                case "addressTableLookups" -> {
                    if (t == START_ARRAY) {
                        tx.lookupsSeen = true;
                        tx.lookupCount = lookups(t);
                    } else if (t != VALUE_NULL) {
                        throw typeError("message.addressTableLookups", "an array or null", t);
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private void accountKeys(JsonTx tx, JsonToken t) {
        if (t != START_ARRAY) {
            throw typeError("message.accountKeys", "an array", t);
        }
        List<String> keys = new ArrayList<>();
        int i = 0;
        while ((t = p.next()) != END_ARRAY) {
            Object field = at("message.accountKeys", i);
            if (t == VALUE_STRING) {
                keys.add(p.text());
            } else if (t == START_OBJECT) {
                // jsonParsed: objects with pubkey, already including keys loaded from tables.
                tx.parsedKeys = true;
                String pubkey = null;
                while ((t = p.next()) == FIELD_NAME) {
                    String name = p.name();
                    t = p.next();
                    if (name.equals("pubkey")) {
                        pubkey = optText(dot(field, "pubkey"), t);
                    } else {
                        p.skipChildren();
                    }
                }
                if (pubkey == null) {
                    throw new Bad("field \"" + field + ".pubkey\" is missing");
                }
                keys.add(pubkey);
            } else {
                throw typeError(field, "a string or an object with a pubkey", t);
            }
            i++;
        }
        tx.accountKeys = keys;
    }

    private int lookups(JsonToken t) {
        int count = 0;
        int i = 0;
        while ((t = p.next()) != END_ARRAY) {
            Object field = at("message.addressTableLookups", i);
            expectObject(field, t);
            while ((t = p.next()) == FIELD_NAME) {
                String name = p.name();
                t = p.next();
                if (name.equals("writableIndexes") || name.equals("readonlyIndexes")) {
                    if (t != START_ARRAY) {
                        throw typeError(dot(field, name), "an array of integers", t);
                    }
                    while ((t = p.next()) != END_ARRAY) {
                        intValue(dot(field, name), t);
                        count++;
                    }
                } else {
                    p.skipChildren();
                }
            }
            i++;
        }
        return count;
    }

    /**
     * Without {@code detail}, only what identifies each instruction's program is read: accounts,
     * data and stack height are checked as JSON and skipped like any field no column reads
     * (building them was most of the cost of inner instructions), a compact object with a {@code
     * programIdIndex} in one pass of the skipper.
     */
    private List<RawInstruction> instructions(Object field, JsonToken t, boolean detail) {
        if (t == VALUE_NULL) {
            return List.of();
        }
        if (t != START_ARRAY) {
            throw typeError(field, "an array", t);
        }
        List<RawInstruction> out = new ArrayList<>();
        while ((t = p.next()) != END_ARRAY) {
            if (!detail && t == START_OBJECT) {
                // the same as instruction() below for a compact object with a programIdIndex
                long program = p.skipObjectKeepingInt(PROGRAM_ID_INDEX);
                if (program != JsonTokens.NOT_TAKEN) {
                    RawInstruction ix = new RawInstruction();
                    ix.programIndexSeen = true;
                    ix.programIdIndex = (int) program;
                    out.add(ix);
                    continue;
                }
            }
            out.add(instruction(at(field, out.size()), t, detail));
        }
        return out;
    }

    private RawInstruction instruction(Object field, JsonToken t, boolean detail) {
        expectObject(field, t);
        RawInstruction ix = new RawInstruction();
        while ((t = p.next()) == FIELD_NAME) {
            String name = p.name();
            t = p.next();
            switch (name) {
                case "programIdIndex" -> {
                    ix.programIndexSeen = true;
                    ix.programIdIndex = intValue(dot(field, "programIdIndex"), t);
                }
                case "programId" -> ix.programId = optText(dot(field, "programId"), t);
                case "accounts" -> {
                    if (!detail) {
                        p.skipChildren();
                    } else if (t != START_ARRAY) {
                        throw typeError(dot(field, "accounts"), "an array", t);
                    } else {
                        ix.accountsSeen = true;
                        accounts(ix, dot(field, "accounts"));
                    }
                }
                case "data" -> {
                    if (detail) {
                        ix.data = optText(dot(field, "data"), t);
                    } else {
                        p.skipChildren();
                    }
                }
                case "stackHeight" -> {
                    if (detail) {
                        ix.stackHeight =
                                t == VALUE_NULL ? null : intValue(dot(field, "stackHeight"), t);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return ix;
    }

    private void accounts(RawInstruction ix, Object field) {
        int[] idx = new int[8];
        String[] names = null;
        int n = 0;
        JsonToken t;
        while ((t = p.next()) != END_ARRAY) {
            if (n == idx.length) {
                idx = Arrays.copyOf(idx, n * 2);
                if (names != null) {
                    names = Arrays.copyOf(names, n * 2);
                }
            }
            if (t == VALUE_STRING) {
                if (names == null) {
                    names = new String[idx.length];
                }
                names[n] = p.text();
            } else {
                idx[n] = intValue(at(field, n), t);
            }
            n++;
        }
        ix.accountIndexes = Arrays.copyOf(idx, n);
        ix.accountNames = names == null ? null : Arrays.copyOf(names, n);
    }

    private void meta(TxParts tx) {
        JsonToken t;
        while ((t = p.next()) == FIELD_NAME) {
            String name = p.name();
            t = p.next();
            switch (name) {
                case "fee" -> tx.fee = t == VALUE_NULL ? null : nonNegativeLong("meta.fee", t);
                case "err" -> tx.error = t == VALUE_NULL ? null : p.json();
                case "computeUnitsConsumed" ->
                        tx.computeUnits = optNonNegativeLong("meta.computeUnitsConsumed", t);
                case "loadedAddresses" -> {
                    if (t == START_OBJECT) {
                        tx.loadedSeen = true;
                        while ((t = p.next()) == FIELD_NAME) {
                            String n = p.name();
                            t = p.next();
                            switch (n) {
                                case "writable" ->
                                        tx.loadedWritable =
                                                textList("meta.loadedAddresses.writable", t);
                                case "readonly" ->
                                        tx.loadedReadonly =
                                                textList("meta.loadedAddresses.readonly", t);
                                default -> p.skipChildren();
                            }
                        }
                    } else if (t != VALUE_NULL) {
                        throw typeError("meta.loadedAddresses", "an object or null", t);
                    }
                }
                case "innerInstructions" -> {
                    if (readInner) {
                        tx.inner = innerGroups(t);
                    } else {
                        p.skipChildren();
                    }
                }
                case "preTokenBalances", "postTokenBalances" -> {
                    if (readBalances) {
                        List<RawBalance> b = balances(dot("meta", name), t);
                        if (name.equals("preTokenBalances")) {
                            tx.pre = b;
                        } else {
                            tx.post = b;
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private List<RawGroup> innerGroups(JsonToken t) {
        if (t == VALUE_NULL) {
            return null;
        }
        if (t != START_ARRAY) {
            throw typeError("meta.innerInstructions", "an array or null", t);
        }
        List<RawGroup> out = new ArrayList<>();
        while ((t = p.next()) != END_ARRAY) {
            Object field = at("meta.innerInstructions", out.size());
            expectObject(field, t);
            int index = -1;
            List<RawInstruction> ixs = List.of();
            while ((t = p.next()) == FIELD_NAME) {
                String name = p.name();
                t = p.next();
                switch (name) {
                    case "index" -> index = intValue(dot(field, "index"), t);
                    case "instructions" ->
                            ixs = instructions(dot(field, "instructions"), t, readInnerDetail);
                    default -> p.skipChildren();
                }
            }
            out.add(new RawGroup(index, ixs));
        }
        return out;
    }

    private List<RawBalance> balances(Object field, JsonToken t) {
        if (t == VALUE_NULL) {
            return null;
        }
        if (t != START_ARRAY) {
            throw typeError(field, "an array or null", t);
        }
        List<RawBalance> out = new ArrayList<>();
        while ((t = p.next()) != END_ARRAY) {
            Object f = at(field, out.size());
            expectObject(f, t);
            RawBalance b = new RawBalance();
            while ((t = p.next()) == FIELD_NAME) {
                String name = p.name();
                t = p.next();
                switch (name) {
                    case "accountIndex" -> b.accountIndex = intValue(dot(f, "accountIndex"), t);
                    case "mint" -> b.mint = optText(dot(f, "mint"), t);
                    case "owner" -> b.owner = optText(dot(f, "owner"), t);
                    case "programId" -> b.programId = optText(dot(f, "programId"), t);
                    case "uiTokenAmount" -> {
                        expectObject(dot(f, "uiTokenAmount"), t);
                        while ((t = p.next()) == FIELD_NAME) {
                            String n = p.name();
                            t = p.next();
                            switch (n) {
                                case "amount" ->
                                        b.amount = optText(dot(f, "uiTokenAmount.amount"), t);
                                case "decimals" ->
                                        b.decimals = intValue(dot(f, "uiTokenAmount.decimals"), t);
                                default -> p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            out.add(b);
        }
        return out;
    }

    // ---------------------------------------------------------------- checking and building

    private SolanaTransaction withMeta(SolanaTransaction bare, TxParts tx) {
        try {
            return TxParts.withMeta(bare, tx);
        } catch (IllegalArgumentException e) {
            throw new Bad(e.getMessage());
        }
    }

    private SolanaTransaction buildTransaction(TxParts tx, int index) {
        try {
            return TxParts.build(tx, index, readSignature);
        } catch (IllegalArgumentException e) {
            // AccountKeys.check and friends: already in words.
            throw new Bad(e.getMessage());
        }
    }
}
