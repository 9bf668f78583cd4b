package io.ipdm.connectors.solana.block;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The token stream {@link BlockParser} reads: {@link JsonScanner} over the response bytes (every
 * byte input), or {@link JacksonTokens} over Jackson (an already parsed tree, and the benchmark's
 * "previous decoder"). Both refuse the same inputs; a syntax error is a {@link MalformedJson}.
 *
 * <p>Semantics follow Jackson's {@code JsonParser}: {@link #next} returns null at the end of the
 * input, {@link #skipChildren} on a start marker moves to its matching end marker.
 */
sealed interface JsonTokens extends AutoCloseable permits JsonScanner, JacksonTokens {

    JsonToken next();

    /** The current field name (names the decoder dispatches on are shared, not allocated). */
    String name();

    /** The current string, or the text of the current scalar as written. */
    String text();

    /** Whether the current string equals {@code ascii}, without building it. */
    boolean textEquals(String ascii);

    /**
     * The current string as UTF-8 bytes, in {@code rawText()[rawStart() .. rawEnd())}: for {@link
     * JsonScanner} without escapes, the input itself. Stays valid past later tokens until the next
     * call of this method.
     */
    byte[] rawText();

    int rawStart();

    int rawEnd();

    /** INT, LONG or BIG_INTEGER for the current integer. */
    JsonParser.NumberType numberType();

    /** The current integer; a {@link MalformedJson} when it does not fit a long. */
    long longValue();

    void skipChildren();

    /**
     * Skips the current object or array as {@link #skipChildren} does (checked) and returns a token
     * stream over just that value, to read it later (predicate push-down reads a transaction's meta
     * only when the transaction is kept); null when this stream cannot, and then the caller reads
     * the value now.
     */
    default JsonTokens deferValue() {
        return null;
    }

    /** {@link #skipObjectKeepingInt}: this stream did not take the object. */
    long NOT_TAKEN = -1;

    /**
     * At a start of object: when the object is well-formed compact JSON with exactly one field
     * {@code name} (plain ASCII, no escapes) whose value is a non-negative integer of at most 9
     * digits, skips the object as {@link #skipChildren} does (checked) and returns that value;
     * otherwise (or when this stream has no such shortcut) consumes nothing and returns {@link
     * #NOT_TAKEN}, and the caller reads the object token by token (which says what is wrong, if
     * anything). For objects of which one integer field is read and the rest skipped.
     */
    default long skipObjectKeepingInt(byte[] name) {
        return NOT_TAKEN;
    }

    /** The current value (a scalar or a whole subtree, consumed) as a tree. */
    JsonNode readTree();

    /**
     * The current value (consumed) as compact JSON text, exactly as Jackson's {@code
     * JsonNode.toString()} writes it.
     */
    String json();

    /** " at line L, column C (byte B)" of the current token, or "" when the input has no places. */
    String location();

    @Override
    void close();

    /** Malformed JSON; the message says what and where ("not valid JSON at line ..."). */
    final class MalformedJson extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedJson(String message) {
            super(message, null, false, false);
        }
    }
}
