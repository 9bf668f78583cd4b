package io.ipdm.connectors.solana.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.block.AccountKeys;
import io.ipdm.connectors.solana.block.InnerInstructions;
import io.ipdm.connectors.solana.block.Instruction;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.connectors.solana.block.SolanaTransaction;
import io.ipdm.connectors.solana.block.TokenBalance;
import io.ipdm.connectors.solana.wire.CompiledInstruction;
import io.ipdm.connectors.solana.wire.WireTransaction;
import io.ipdm.multiformats.Base58;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BENCHMARK BASELINE ONLY: the getBlock decoder as it was before the streaming decoder replaced it
 * (a Jackson tree, then the model), kept in test scope so {@link SolanaBench} compares both in the
 * same run and the differential test checks the streaming decoder gives the same blocks. Not used
 * by any source.
 *
 * <p>Decodes getBlock (and getTransaction) responses in every transaction encoding Solana RPC
 * returns: {@code json}, {@code jsonParsed}, {@code base64} and {@code base58}. Accepts a bare
 * {@code result} object or a full JSON-RPC envelope.
 *
 * <p>A getBlock result does not contain its own slot. It is taken, in order, from the caller (the
 * RPC source knows what it asked for), a {@code slot} field, the last run of 4+ digits in the file
 * name delimited by {@code _ - .} or the ends ({@code block_270893658.json}), or {@code parentSlot
 * + 1} (wrong only after skipped slots).
 *
 * <p>Thread-safe and stateless.
 */
public final class TreeDecoderBaseline {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SLOT_IN_NAME =
            Pattern.compile("(?:^|(?<=[_.\\-]))([0-9]{4,})(?=$|[_.\\-])");

    private TreeDecoderBaseline() {}

    /** Reads and decodes one file; the slot comes from the content or the file name. */
    public static SolanaBlock decodeFile(Path file) {
        return decodeFile(file, Projection.EVERYTHING);
    }

    /** Reads and decodes one file, only the parts {@code projection} needs. */
    public static SolanaBlock decodeFile(Path file, Projection projection) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new SolanaDecodeException(file + ": not readable JSON: " + e.getMessage(), e);
        }
        return decode(
                root, file.toString(), slotFromFileName(file.getFileName().toString()), projection);
    }

    /** Decodes JSON bytes; {@code slot} may be null when not known to the caller. */
    public static SolanaBlock decode(byte[] json, String source, Long slot) {
        return decode(json, source, slot, Projection.EVERYTHING);
    }

    /** Decodes JSON bytes, only the parts {@code projection} needs. */
    public static SolanaBlock decode(byte[] json, String source, Long slot, Projection projection) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new SolanaDecodeException(source + ": not readable JSON: " + e.getMessage(), e);
        }
        return decode(root, source, slot, projection);
    }

    public static SolanaBlock decode(JsonNode root, String source, Long slotHint) {
        return decode(root, source, slotHint, Projection.EVERYTHING);
    }

    /** Decodes a parsed response, only the parts {@code projection} needs. */
    public static SolanaBlock decode(
            JsonNode root, String source, Long slotHint, Projection projection) {
        JsonNode result = unwrapEnvelope(root, source);
        if (result.has("transaction") && result.has("slot")) {
            return decodeTransactionResult(result, source, projection);
        }
        Long parentSlot = optLong(result, "parentSlot");
        long slot;
        JsonNode slotNode = result.get("slot");
        if (slotNode != null && slotNode.canConvertToLong()) {
            slot = slotNode.asLong();
        } else if (slotHint != null) {
            slot = slotHint;
        } else if (parentSlot != null) {
            slot = parentSlot + 1;
        } else {
            throw new SolanaDecodeException(
                    source
                            + ": cannot tell the slot: no slot given, no slot in the file name, no"
                            + " parentSlot");
        }
        String where = source + ": slot " + slot;
        String blockhash = requiredText(result, "blockhash", where);
        String previous = requiredText(result, "previousBlockhash", where);
        if (parentSlot == null) {
            throw new SolanaDecodeException(where + ": missing field 'parentSlot'");
        }
        Long blockTime = optLong(result, "blockTime");
        Long blockHeight = optLong(result, "blockHeight");
        List<SolanaTransaction> txs = null;
        JsonNode txArray = result.get("transactions");
        if (txArray != null && !txArray.isNull() && projection.transactions()) {
            if (!txArray.isArray()) {
                throw new SolanaDecodeException(where + ": 'transactions' is not an array");
            }
            txs = new ArrayList<>(txArray.size());
            for (int i = 0; i < txArray.size(); i++) {
                txs.add(decodeTransaction(txArray.get(i), i, source, slot, projection));
            }
        }
        String leader = null;
        Long reward = null;
        JsonNode rewards = result.get("rewards");
        if (rewards != null && rewards.isArray() && projection.rewards()) {
            for (JsonNode r : rewards) {
                if ("Fee".equals(r.path("rewardType").asText())) {
                    leader = r.path("pubkey").asText(null);
                    reward = (reward == null ? 0 : reward) + r.path("lamports").asLong();
                }
            }
        }
        return new SolanaBlock(
                source,
                true,
                slot,
                parentSlot,
                blockhash,
                previous,
                blockTime,
                blockHeight,
                txs,
                leader,
                reward);
    }

    /**
     * The last run of 4+ digits in a file name delimited by {@code _ - .} or the ends, e.g. {@code
     * block_270893658.json}; or null. Digits inside base58 words do not count.
     */
    public static Long slotFromFileName(String name) {
        Matcher m = SLOT_IN_NAME.matcher(name);
        Long slot = null;
        while (m.find()) {
            try {
                slot = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                slot = null;
            }
        }
        return slot;
    }

    private static JsonNode unwrapEnvelope(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new SolanaDecodeException(source + ": expected a JSON object");
        }
        if (!root.has("jsonrpc") && !(root.has("result") && !root.has("blockhash"))) {
            return root;
        }
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            throw new SolanaDecodeException(
                    source
                            + ": JSON-RPC error "
                            + error.path("code").asText("?")
                            + ": "
                            + error.path("message").asText(""));
        }
        JsonNode result = root.get("result");
        if (result == null || result.isNull()) {
            throw new SolanaDecodeException(
                    source + ": JSON-RPC result is null (slot skipped or not available)");
        }
        return result;
    }

    private static SolanaBlock decodeTransactionResult(
            JsonNode result, String source, Projection projection) {
        long slot = result.get("slot").asLong();
        int index = result.path("transactionIndex").asInt(-1);
        SolanaTransaction tx = decodeTransaction(result, index, source, slot, projection);
        return new SolanaBlock(
                source,
                false,
                slot,
                null,
                null,
                null,
                optLong(result, "blockTime"),
                null,
                List.of(tx),
                null,
                null);
    }

    /** Decodes one element of {@code transactions}: {@code {transaction, meta, version}}. */
    static SolanaTransaction decodeTransaction(
            JsonNode item, int index, String source, long slot, Projection projection) {
        try {
            return decodeTransactionUnchecked(item, index, projection);
        } catch (SolanaDecodeException | IllegalArgumentException e) {
            throw new SolanaDecodeException(
                    source + ": slot " + slot + ", transaction " + index + ": " + e.getMessage(),
                    e);
        }
    }

    private static SolanaTransaction decodeTransactionUnchecked(
            JsonNode item, int index, Projection projection) {
        JsonNode txNode = item.get("transaction");
        if (txNode == null || txNode.isNull()) {
            throw new IllegalArgumentException("missing field 'transaction'");
        }
        JsonNode meta = item.get("meta");
        boolean hasMeta = meta != null && meta.isObject();
        JsonNode versionNode = item.get("version");
        String declaredVersion =
                versionNode == null || versionNode.isNull() ? null : versionNode.asText();
        TxBody body =
                txNode.isArray()
                        ? wireBody(txNode, hasMeta ? meta : null)
                        : jsonBody(txNode, hasMeta ? meta : null);
        if (declaredVersion != null
                && body.version != null
                && !declaredVersion.equals(body.version)) {
            throw new IllegalArgumentException(
                    "version field says "
                            + declaredVersion
                            + " but the message is "
                            + body.version);
        }
        String version =
                body.version != null
                        ? body.version
                        : (declaredVersion != null ? declaredVersion : "legacy");
        List<InnerInstructions> inner = List.of();
        Long fee = null;
        String error = null;
        Long cu = null;
        List<TokenBalance> pre = List.of();
        List<TokenBalance> post = List.of();
        if (hasMeta) {
            JsonNode feeNode = meta.get("fee");
            if (feeNode == null || !feeNode.canConvertToLong()) {
                throw new IllegalArgumentException("meta has no numeric 'fee'");
            }
            fee = feeNode.asLong();
            JsonNode err = meta.get("err");
            error = err == null || err.isNull() ? null : err.toString();
            cu = optLong(meta, "computeUnitsConsumed");
            if (projection.innerInstructions()) {
                inner = innerInstructions(meta.get("innerInstructions"), body.keys);
            }
            if (projection.tokenBalances()) {
                pre = tokenBalances(meta.get("preTokenBalances"), body.keys, "preTokenBalances");
                post = tokenBalances(meta.get("postTokenBalances"), body.keys, "postTokenBalances");
            }
        }
        return new SolanaTransaction(
                index,
                body.signature,
                body.numSignatures,
                version,
                body.keys,
                body.recentBlockhash,
                body.instructions,
                inner,
                hasMeta,
                fee,
                error,
                cu,
                pre,
                post);
    }

    private record TxBody(
            String signature,
            int numSignatures,
            String version,
            AccountKeys keys,
            String recentBlockhash,
            List<Instruction> instructions) {}

    private static TxBody wireBody(JsonNode txNode, JsonNode meta) {
        if (txNode.size() != 2) {
            throw new IllegalArgumentException(
                    "encoded transaction must be [data, encoding], got "
                            + txNode.size()
                            + " elements");
        }
        String data = txNode.get(0).asText();
        String encoding = txNode.get(1).asText();
        byte[] bytes;
        switch (encoding) {
            case "base64" -> {
                try {
                    bytes = Base64.getDecoder().decode(data);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "transaction is not valid base64: " + e.getMessage());
                }
            }
            case "base58" -> bytes = Base58.decode(data);
            default ->
                    throw new IllegalArgumentException(
                            "unsupported transaction encoding '"
                                    + encoding
                                    + "'; supported: base64, base58, json, jsonParsed");
        }
        WireTransaction w = WireTransaction.decode(bytes);
        return wireBody(w, meta);
    }

    /**
     * Builds the encoding-independent body of a wire transaction; v0 lookups resolve through
     * meta.loadedAddresses (writable then readonly), whose sizes must match the lookups.
     */
    static TxBody wireBody(WireTransaction w, JsonNode meta) {
        if (w.signatures().length == 0) {
            throw new IllegalArgumentException("transaction has no signatures");
        }
        List<String> writable = List.of();
        List<String> readonly = List.of();
        int needW = w.loadedWritableCount();
        int needR = w.loadedReadonlyCount();
        if (needW + needR > 0) {
            JsonNode loaded = meta == null ? null : meta.get("loadedAddresses");
            if (loaded == null || loaded.isNull()) {
                throw new IllegalArgumentException(
                        "v0 transaction loads "
                                + (needW + needR)
                                + " accounts from address tables but meta.loadedAddresses is"
                                + " missing");
            }
            writable = textList(loaded.get("writable"), "meta.loadedAddresses.writable");
            readonly = textList(loaded.get("readonly"), "meta.loadedAddresses.readonly");
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
        List<Instruction> ixs = new ArrayList<>(w.instructions().size());
        for (int i = 0; i < w.instructions().size(); i++) {
            CompiledInstruction ci = w.instructions().get(i);
            String what = "instruction " + i;
            keys.check(ci.programIdIndex(), what + " program id");
            for (int a : ci.accountIndexes()) {
                keys.check(a, what);
            }
            ixs.add(
                    new Instruction(
                            ci.programIdIndex(), ci.accountIndexes(), ci.data(), null, null));
        }
        return new TxBody(
                Base58.encode(w.signatures()[0]),
                w.signatures().length,
                w.versionName(),
                keys,
                Base58.encode(w.recentBlockhash()),
                ixs);
    }

    private static TxBody jsonBody(JsonNode txNode, JsonNode meta) {
        JsonNode sigs = txNode.get("signatures");
        if (sigs == null || !sigs.isArray() || sigs.isEmpty()) {
            throw new IllegalArgumentException("transaction has no signatures");
        }
        for (int i = 0; i < sigs.size(); i++) {
            String sig = sigs.get(i).asText();
            int len = Base58.decode(sig).length;
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
        JsonNode message = txNode.get("message");
        if (message == null || !message.isObject()) {
            throw new IllegalArgumentException("transaction has no 'message' object");
        }
        JsonNode keyArray = message.get("accountKeys");
        if (keyArray == null || !keyArray.isArray() || keyArray.isEmpty()) {
            throw new IllegalArgumentException("message has no accountKeys");
        }
        AccountKeys keys;
        if (keyArray.get(0).isObject()) {
            // jsonParsed: objects with pubkey, already including keys loaded from tables.
            List<String> list = new ArrayList<>(keyArray.size());
            for (JsonNode k : keyArray) {
                list.add(requiredText(k, "pubkey", "accountKeys entry"));
            }
            keys = AccountKeys.ofStrings(list);
        } else {
            List<String> list = new ArrayList<>(textList(keyArray, "message.accountKeys"));
            JsonNode loaded = meta == null ? null : meta.get("loadedAddresses");
            if (loaded != null && loaded.isObject()) {
                list.addAll(textList(loaded.get("writable"), "meta.loadedAddresses.writable"));
                list.addAll(textList(loaded.get("readonly"), "meta.loadedAddresses.readonly"));
            }
            int lookupCount = countLookups(message.get("addressTableLookups"));
            if (lookupCount > 0 && list.size() != keyArray.size() + lookupCount) {
                throw new IllegalArgumentException(
                        "address table lookups load "
                                + lookupCount
                                + " accounts but meta.loadedAddresses has "
                                + (list.size() - keyArray.size()));
            }
            keys = AccountKeys.ofStrings(list);
        }
        List<Instruction> ixs = instructionList(message.get("instructions"), keys, "instruction ");
        String version = null;
        JsonNode lookups = message.get("addressTableLookups");
        if (lookups != null && lookups.isArray()) {
            version = "0";
        }
        return new TxBody(
                sigs.get(0).asText(),
                sigs.size(),
                version == null ? null : version,
                keys,
                message.path("recentBlockhash").asText(null),
                ixs);
    }

    private static int countLookups(JsonNode lookups) {
        if (lookups == null || !lookups.isArray()) {
            return 0;
        }
        int n = 0;
        for (JsonNode l : lookups) {
            n += l.path("writableIndexes").size() + l.path("readonlyIndexes").size();
        }
        return n;
    }

    private static List<Instruction> instructionList(
            JsonNode array, AccountKeys keys, String whatPrefix) {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException(whatPrefix.trim() + " list is not an array");
        }
        List<Instruction> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(instruction(array.get(i), keys, whatPrefix + i));
        }
        return out;
    }

    private static Instruction instruction(JsonNode ix, AccountKeys keys, String what) {
        int program;
        JsonNode pidx = ix.get("programIdIndex");
        if (pidx != null && pidx.canConvertToInt()) {
            program = pidx.asInt();
            keys.check(program, what + " program id");
        } else {
            String programId = requiredText(ix, "programId", what);
            program = keys.indexOf(programId);
            if (program < 0) {
                throw new IllegalArgumentException(
                        what + " program " + programId + " is not among the account keys");
            }
        }
        int[] accounts = null;
        JsonNode acc = ix.get("accounts");
        if (acc != null && acc.isArray()) {
            accounts = new int[acc.size()];
            for (int a = 0; a < acc.size(); a++) {
                JsonNode n = acc.get(a);
                if (n.isTextual()) {
                    accounts[a] = keys.indexOf(n.asText());
                    if (accounts[a] < 0) {
                        throw new IllegalArgumentException(
                                what + " account " + n.asText() + " is not among the account keys");
                    }
                } else {
                    accounts[a] = n.asInt();
                    keys.check(accounts[a], what);
                }
            }
        }
        JsonNode data = ix.get("data");
        String b58 = data == null || data.isNull() ? null : data.asText();
        JsonNode sh = ix.get("stackHeight");
        Integer stackHeight = sh == null || sh.isNull() ? null : sh.asInt();
        return new Instruction(program, accounts, null, b58, stackHeight);
    }

    private static List<InnerInstructions> innerInstructions(JsonNode array, AccountKeys keys) {
        if (array == null || array.isNull() || array.isEmpty()) {
            return List.of();
        }
        List<InnerInstructions> out = new ArrayList<>(array.size());
        for (JsonNode group : array) {
            int idx = group.path("index").asInt(-1);
            out.add(
                    new InnerInstructions(
                            idx,
                            instructionList(
                                    group.get("instructions"),
                                    keys,
                                    "inner instruction of " + idx + " #")));
        }
        return out;
    }

    private static List<TokenBalance> tokenBalances(
            JsonNode array, AccountKeys keys, String field) {
        if (array == null || array.isNull() || array.isEmpty()) {
            return List.of();
        }
        List<TokenBalance> out = new ArrayList<>(array.size());
        for (JsonNode b : array) {
            int accountIndex = b.path("accountIndex").asInt(-1);
            keys.check(accountIndex, field);
            JsonNode amount = b.path("uiTokenAmount");
            String raw = requiredText(amount, "amount", field + ".uiTokenAmount");
            if (raw.isEmpty() || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException(
                        field
                                + " amount '"
                                + raw
                                + "' of account "
                                + accountIndex
                                + " is not a non-negative integer");
            }
            out.add(
                    new TokenBalance(
                            accountIndex,
                            requiredText(b, "mint", field),
                            b.path("owner").asText(null),
                            b.path("programId").asText(null),
                            raw,
                            amount.path("decimals").asInt()));
        }
        return out;
    }

    private static List<String> textList(JsonNode array, String what) {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException(what + " is not an array");
        }
        List<String> out = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            throw new SolanaDecodeException(where + ": missing field '" + field + "'");
        }
        return n.asText();
    }

    private static Long optLong(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? null : n.asLong();
    }
}
