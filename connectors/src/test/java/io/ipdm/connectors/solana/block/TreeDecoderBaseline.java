package io.ipdm.connectors.solana.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.block.TxParts.JsonTx;
import io.ipdm.connectors.solana.block.TxParts.RawBalance;
import io.ipdm.connectors.solana.block.TxParts.RawGroup;
import io.ipdm.connectors.solana.block.TxParts.RawInstruction;
import io.ipdm.connectors.solana.wire.WireTransaction;
import io.ipdm.multiformats.Base58;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * BENCHMARK BASELINE ONLY: getBlock decoding as it was before streaming: Jackson's tree parse of
 * the whole response ({@code readTree}), then a walk of the tree. Kept in test scope so {@link
 * io.ipdm.connectors.solana.bench.GetBlockDecodeBench} compares it in the same run and {@code
 * StreamingDecoderDifferentialTest} checks the decoder gives the same blocks. Not used by any
 * source.
 *
 * <p>The tree parse and walk are this class's own; what a transaction's parts mean (checks, key
 * resolution, building the model) is the decoder's {@link TxParts#build}, and the slot from a file
 * name is {@link GetBlockDecoder#slotFromFileName}: one place for those rules.
 *
 * <p>Thread-safe and stateless.
 */
public final class TreeDecoderBaseline {
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
                root,
                file.toString(),
                GetBlockDecoder.slotFromFileName(file.getFileName().toString()),
                projection);
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

    /** Decodes a parsed response, only the parts {@code projection} needs. */
    public static SolanaBlock decode(
            JsonNode root, String source, Long slotHint, Projection projection) {
        JsonNode result = unwrapEnvelope(root, source);
        if (result.has("transaction") && result.has("slot")) {
            long slot = result.get("slot").asLong();
            int index = result.path("transactionIndex").asInt(-1);
            SolanaTransaction tx = transaction(result, index, source, slot, projection);
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
        List<SolanaTransaction> txs = null;
        JsonNode txArray = result.get("transactions");
        if (txArray != null && !txArray.isNull() && projection.transactions()) {
            if (!txArray.isArray()) {
                throw new SolanaDecodeException(where + ": 'transactions' is not an array");
            }
            txs = new ArrayList<>(txArray.size());
            for (int i = 0; i < txArray.size(); i++) {
                txs.add(transaction(txArray.get(i), i, source, slot, projection));
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
                optLong(result, "blockTime"),
                optLong(result, "blockHeight"),
                txs,
                leader,
                reward);
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

    /** One element of {@code transactions}: its tree read into parts, then the decoder's build. */
    private static SolanaTransaction transaction(
            JsonNode item, int index, String source, long slot, Projection projection) {
        try {
            return TxParts.build(parts(item, projection), index, TxParts.signatureText(projection));
        } catch (IllegalArgumentException e) {
            throw new SolanaDecodeException(
                    source + ": slot " + slot + ", transaction " + index + ": " + e.getMessage(),
                    e);
        }
    }

    private static TxParts parts(JsonNode item, Projection projection) {
        TxParts tx = new TxParts();
        JsonNode txNode = item.get("transaction");
        if (txNode != null && !txNode.isNull()) {
            tx.transactionSeen = true;
            if (txNode.isArray()) {
                tx.wire = wire(txNode);
            } else {
                tx.json = jsonTx(txNode);
            }
        }
        JsonNode version = item.get("version");
        tx.declaredVersion = version == null || version.isNull() ? null : version.asText();
        JsonNode meta = item.get("meta");
        if (meta == null || !meta.isObject()) {
            return tx;
        }
        tx.hasMeta = true;
        tx.fee = optLong(meta, "fee");
        JsonNode err = meta.get("err");
        tx.error = err == null || err.isNull() ? null : err.toString();
        tx.computeUnits = optLong(meta, "computeUnitsConsumed");
        JsonNode loaded = meta.get("loadedAddresses");
        if (loaded != null && loaded.isObject()) {
            tx.loadedSeen = true;
            tx.loadedWritable = textList(loaded.get("writable"), "meta.loadedAddresses.writable");
            tx.loadedReadonly = textList(loaded.get("readonly"), "meta.loadedAddresses.readonly");
        }
        if (projection.innerInstructions()) {
            JsonNode groups = meta.get("innerInstructions");
            if (groups != null && groups.isArray()) {
                tx.inner = new ArrayList<>(groups.size());
                for (JsonNode g : groups) {
                    tx.inner.add(
                            new RawGroup(
                                    g.path("index").asInt(-1),
                                    instructions(g.get("instructions"))));
                }
            }
        }
        if (projection.tokenBalances()) {
            tx.pre = balances(meta.get("preTokenBalances"));
            tx.post = balances(meta.get("postTokenBalances"));
        }
        return tx;
    }

    private static WireTransaction wire(JsonNode txNode) {
        if (txNode.size() != 2) {
            throw new IllegalArgumentException(
                    "encoded transaction must be [data, encoding], got "
                            + txNode.size()
                            + " elements");
        }
        String data = txNode.get(0).asText();
        String encoding = txNode.get(1).asText();
        byte[] bytes =
                switch (encoding) {
                    case "base64" -> Base64.getDecoder().decode(data);
                    case "base58" -> Base58.decode(data);
                    default ->
                            throw new IllegalArgumentException(
                                    "unsupported transaction encoding '" + encoding + "'");
                };
        return WireTransaction.decode(bytes);
    }

    private static JsonTx jsonTx(JsonNode txNode) {
        JsonTx j = new JsonTx();
        JsonNode sigs = txNode.get("signatures");
        j.signatures = sigs == null ? null : textList(sigs, "transaction.signatures");
        JsonNode message = txNode.get("message");
        if (message == null || !message.isObject()) {
            return j;
        }
        j.messageSeen = true;
        JsonNode keys = message.get("accountKeys");
        if (keys != null && keys.isArray()) {
            j.accountKeys = new ArrayList<>(keys.size());
            for (JsonNode k : keys) {
                if (k.isObject()) {
                    j.parsedKeys = true; // jsonParsed: objects with pubkey
                    j.accountKeys.add(requiredText(k, "pubkey", "accountKeys entry"));
                } else {
                    j.accountKeys.add(k.asText());
                }
            }
        }
        j.recentBlockhash = message.path("recentBlockhash").asText(null);
        j.instructions = instructions(message.get("instructions"));
        JsonNode lookups = message.get("addressTableLookups");
        if (lookups != null && lookups.isArray()) {
            j.lookupsSeen = true;
            for (JsonNode l : lookups) {
                j.lookupCount +=
                        l.path("writableIndexes").size() + l.path("readonlyIndexes").size();
            }
        }
        return j;
    }

    private static List<RawInstruction> instructions(JsonNode array) {
        if (array == null || !array.isArray()) {
            return List.of();
        }
        List<RawInstruction> out = new ArrayList<>(array.size());
        for (JsonNode ix : array) {
            RawInstruction r = new RawInstruction();
            JsonNode pidx = ix.get("programIdIndex");
            if (pidx != null && pidx.canConvertToInt()) {
                r.programIndexSeen = true;
                r.programIdIndex = pidx.asInt();
            }
            r.programId = ix.path("programId").asText(null);
            JsonNode acc = ix.get("accounts");
            if (acc != null && acc.isArray()) {
                r.accountsSeen = true;
                r.accountIndexes = new int[acc.size()];
                for (int a = 0; a < acc.size(); a++) {
                    JsonNode n = acc.get(a);
                    if (n.isTextual()) {
                        if (r.accountNames == null) {
                            r.accountNames = new String[acc.size()];
                        }
                        r.accountNames[a] = n.asText();
                    } else {
                        r.accountIndexes[a] = n.asInt();
                    }
                }
            }
            JsonNode data = ix.get("data");
            r.data = data == null || data.isNull() ? null : data.asText();
            JsonNode sh = ix.get("stackHeight");
            r.stackHeight = sh == null || sh.isNull() ? null : sh.asInt();
            out.add(r);
        }
        return out;
    }

    private static List<RawBalance> balances(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<RawBalance> out = new ArrayList<>(array.size());
        for (JsonNode b : array) {
            RawBalance r = new RawBalance();
            r.accountIndex = b.path("accountIndex").asInt(-1);
            r.mint = b.path("mint").asText(null);
            r.owner = b.path("owner").asText(null);
            r.programId = b.path("programId").asText(null);
            r.amount = b.path("uiTokenAmount").path("amount").asText(null);
            r.decimals = b.path("uiTokenAmount").path("decimals").asInt();
            out.add(r);
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
