package io.ipdm.connectors.solana.block;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.connectors.solana.SolanaDecodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes getBlock (and getTransaction) responses in every transaction encoding Solana RPC returns:
 * {@code json}, {@code jsonParsed}, {@code base64} and {@code base58}. Accepts a bare {@code
 * result} object or a full JSON-RPC envelope.
 *
 * <p>Bytes are read in one pass by a byte-level scanner, no tree ({@link JsonScanner}, {@link
 * BlockParser}), in every encoding ({@code json} and {@code jsonParsed} included): parts of a block
 * the {@link Projection} does not need (log messages always; inner instructions, token balances,
 * rewards, whole transactions when no read column depends on them) are checked and jumped over
 * without being built, field names are matched without making strings, and base64/base58
 * transactions are decoded from the response bytes in place (base58 into one reused buffer). An
 * already parsed tree ({@link #decode(JsonNode, String, Long)}) is read as Jackson tokens by the
 * same parser.
 *
 * <p>A getBlock result does not contain its own slot. It is taken, in order, from a {@code slot}
 * field, the caller (the RPC source knows what it asked for; a file's name: the last run of 4+
 * digits delimited by {@code _ - .} or the ends, {@code block_270893658.json}), or {@code
 * parentSlot + 1} (wrong only after skipped slots).
 *
 * <p>Every error is a {@link SolanaDecodeException} whose message names the source, the slot, the
 * transaction index (when in a transaction) and what is wrong in words; a file that is not JSON
 * gets the parser's complaint with line, column and byte offset.
 *
 * <p>Thread-safe and stateless (each call has its own parser state).
 */
public final class GetBlockDecoder {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SLOT_IN_NAME =
            Pattern.compile("(?:^|(?<=[_.\\-]))([0-9]{4,})(?=$|[_.\\-])");

    private GetBlockDecoder() {}

    /** Reads and decodes one file; the slot comes from the content or the file name. */
    public static SolanaBlock decodeFile(Path file) {
        return decodeFile(file, Projection.EVERYTHING);
    }

    /** Reads and decodes one file, only the parts {@code projection} needs. */
    public static SolanaBlock decodeFile(Path file, Projection projection) {
        return decodeFile(file, projection, false);
    }

    /**
     * Reads and decodes one file, only the parts {@code projection} needs; with {@code
     * verifySignatures}, every transaction's Ed25519 signatures are checked (binary encodings
     * only).
     */
    public static SolanaBlock decodeFile(
            Path file, Projection projection, boolean verifySignatures) {
        return decodeFile(file, projection, verifySignatures, null);
    }

    /** As {@link #decodeFile(Path, Projection, boolean)} with a pushed-down filter (null: none). */
    public static SolanaBlock decodeFile(
            Path file,
            Projection projection,
            boolean verifySignatures,
            FilteredRows.TxFilter filter) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SolanaDecodeException(file + ": no such file");
        } catch (IOException e) {
            throw new SolanaDecodeException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return decode(
                bytes,
                file.toString(),
                slotFromFileName(file.getFileName().toString()),
                projection,
                verifySignatures,
                filter);
    }

    /** Decodes JSON bytes; {@code slot} may be null when not known to the caller. */
    public static SolanaBlock decode(byte[] json, String source, Long slot) {
        return decode(json, source, slot, Projection.EVERYTHING);
    }

    /** Decodes JSON bytes, only the parts {@code projection} needs. */
    public static SolanaBlock decode(byte[] json, String source, Long slot, Projection projection) {
        return decode(json, source, slot, projection, false);
    }

    /** Decodes JSON bytes, only the parts {@code projection} needs, optionally verifying. */
    public static SolanaBlock decode(
            byte[] json,
            String source,
            Long slot,
            Projection projection,
            boolean verifySignatures) {
        return decode(json, source, slot, projection, verifySignatures, null);
    }

    /**
     * As {@link #decode(byte[], String, Long, Projection, boolean)} with a pushed-down filter
     * (null: none): a block's transactions are offered to it before their meta is read, and the
     * dropped ones are left out of the block, their meta checked as JSON but not decoded.
     */
    public static SolanaBlock decode(
            byte[] json,
            String source,
            Long slot,
            Projection projection,
            boolean verifySignatures,
            FilteredRows.TxFilter filter) {
        return new BlockParser(
                        new JsonScanner(json, true),
                        source,
                        slot,
                        projection,
                        verifySignatures,
                        filter)
                .parse();
    }

    /** Decodes an already parsed response (read back as tokens: the same decoder). */
    public static SolanaBlock decode(JsonNode root, String source, Long slotHint) {
        return decode(root, source, slotHint, Projection.EVERYTHING);
    }

    /** Decodes an already parsed response, only the parts {@code projection} needs. */
    public static SolanaBlock decode(
            JsonNode root, String source, Long slotHint, Projection projection) {
        return decode(root, source, slotHint, projection, false);
    }

    /**
     * Decodes an already parsed response, only what {@code projection} needs, optionally verifying.
     */
    public static SolanaBlock decode(
            JsonNode root,
            String source,
            Long slotHint,
            Projection projection,
            boolean verifySignatures) {
        if (root == null) {
            throw new SolanaDecodeException(source + ": expected a JSON object, got nothing");
        }
        return new BlockParser(
                        new JacksonTokens(MAPPER.treeAsTokens(root)),
                        source,
                        slotHint,
                        projection,
                        verifySignatures)
                .parse();
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

    /** Whether a token is a JSON value of the given kind, for type errors. */
    static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name().toLowerCase() : "'" + t.asString() + "'";
        };
    }
}
