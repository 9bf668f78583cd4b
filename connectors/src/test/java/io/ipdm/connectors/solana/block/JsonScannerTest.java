package io.ipdm.connectors.solana.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.testutils.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonScanner} against Jackson's parser ({@link JacksonTokens}): the same tokens on every
 * real file; on seeded corruptions of real blocks both accept or both refuse, whether the bytes are
 * tokenized, skipped, or decoded as a block (then the blocks, or the non-JSON errors, are equal).
 */
class JsonScannerTest {
    private static final byte[] MUTANTS = {
        '"',
        '\\',
        '{',
        '}',
        '[',
        ']',
        ',',
        ':',
        '0',
        '1',
        '-',
        '.',
        'e',
        ' ',
        'x',
        't',
        'n',
        '/',
        'u',
        (byte) 0xff,
        (byte) 0xc3,
        (byte) 0xe2,
        (byte) 0x80,
        0x01,
        '\n'
    };

    private static JsonTokens jackson(byte[] json) throws IOException {
        return new JacksonTokens(GetBlockDecoder.MAPPER.createParser(json));
    }

    /**
     * Every token with its text and number type, or where it was refused ("error"). A name and its
     * value's first token go together (Jackson reads both at the name).
     */
    private static List<String> tokens(JsonTokens t) {
        List<String> out = new ArrayList<>();
        try {
            JsonToken k;
            while ((k = t.next()) != null) {
                String s = k.name();
                if (k == JsonToken.FIELD_NAME) {
                    s += " " + t.name();
                    k = t.next();
                    s += " " + k;
                }
                if (k.isScalarValue()) {
                    s += " " + t.text();
                    if (k == JsonToken.VALUE_NUMBER_INT) {
                        JsonParser.NumberType nt = t.numberType();
                        s +=
                                " "
                                        + nt
                                        + (nt == JsonParser.NumberType.BIG_INTEGER
                                                ? ""
                                                : " " + t.longValue());
                    }
                }
                out.add(s);
            }
        } catch (JsonTokens.MalformedJson e) {
            out.add("error");
        }
        return out;
    }

    /** Skips the root value, then reads what follows: "ok", "more" or "error". */
    private static String skipped(JsonTokens t) {
        try {
            t.next();
            t.skipChildren();
            return t.next() == null ? "ok" : "more";
        } catch (JsonTokens.MalformedJson e) {
            return "error";
        }
    }

    @Test
    void sameTokensAsJacksonOnEveryRealFile() throws IOException {
        for (Path f : SharedData.getBlockFiles()) {
            byte[] json = Files.readAllBytes(f);
            List<String> want = tokens(jackson(json));
            assertThat(want).as(f.toString()).doesNotContain("error");
            assertThat(tokens(new JsonScanner(json, true))).as(f.toString()).isEqualTo(want);
        }
    }

    @Test
    void sameTokensOnHandPickedCases() throws IOException {
        for (String s :
                List.of(
                        "{\"a\":[1,-2,3.5,1e3,-0,0,2147483648,-9223372036854775808,"
                                + "9223372036854775808,123456789012345678901234567890]}",
                        "{\"s\":\"\\u00e9\\n\\\"\\/\\\\ caf\u00e9 \ud83d\ude00\",\"t\":true,\"f\":false,\"z\":null}",
                        " \n\t{ \"a\" : [ ] , \"b\" : { } } \r\n",
                        "{\"a\":01}",
                        "{\"a\":-}",
                        "{\"a\":1.}",
                        "{\"a\":1e}",
                        "{\"a\":[1,]}",
                        "{\"a\":1,}",
                        "{\"a\" 1}",
                        "{\"a\":[1 2]}",
                        "{\"a\":[1}",
                        "{\"a\":tru}",
                        "{\"a\":truex}",
                        "{\"a\":nul}",
                        "{\"a\":\"\\x\"}",
                        "{\"a\":\"\\u12g4\"}",
                        "{\"a\":\"x\ty\"}",
                        "{a:1}",
                        "{\"a\":'x'}",
                        "{\"a\":1}{}",
                        "{\"a\":1} x",
                        "[1,2]",
                        "",
                        "   ",
                        "{\"a\":[[[[",
                        "{\"a\":\"abc")) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            assertThat(tokens(new JsonScanner(b, true))).as(s).isEqualTo(tokens(jackson(b)));
            assertThat(skipped(new JsonScanner(b, true))).as(s).isEqualTo(skipped(jackson(b)));
        }
    }

    @Test
    void aValueAsJsonIsWhatJacksonsTreeWrites() throws IOException {
        for (String v :
                List.of(
                        "{\"InstructionError\":[2,\"IllegalOwner\"]}",
                        "{\"InstructionError\":[0,{\"Custom\":6001}]}",
                        "\"AccountInUse\"",
                        "{\"InsufficientFundsForRent\":{\"account_index\":3}}",
                        "{\"a\":1,\"a\":2}",
                        "{ \"a\" : [ 1 , 2 ] }",
                        "[1.50,1e3,-0,-7,true,null]",
                        "{\"s\":\"\\u00e9\\/x\"}",
                        "{\"s\":\"caf\u00e9\"}",
                        "123456789012345678901234567890")) {
            byte[] b = ("{\"err\":" + v + ",\"next\":1}").getBytes(StandardCharsets.UTF_8);
            JsonScanner s = new JsonScanner(b, true);
            s.next();
            s.next();
            s.next();
            String want = GetBlockDecoder.MAPPER.readTree(v).toString();
            assertThat(s.json()).as(v).isEqualTo(want);
            assertThat(s.next()).as(v).isEqualTo(JsonToken.FIELD_NAME);
            assertThat(s.name()).isEqualTo("next");
        }
    }

    @Test
    void limitsAsJacksonsDefaults() throws IOException {
        String deep = "[".repeat(1001) + "]".repeat(1001);
        String ok = "[".repeat(1000) + "]".repeat(1000);
        String longNumber = "[" + "1".repeat(1001) + "]";
        for (String s : List.of(deep, ok, longNumber)) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            assertThat(skipped(new JsonScanner(b, true))).isEqualTo(skipped(jackson(b)));
            assertThat(tokens(new JsonScanner(b, true)).contains("error"))
                    .isEqualTo(tokens(jackson(b)).contains("error"));
        }
        assertThat(skipped(new JsonScanner(deep.getBytes(StandardCharsets.UTF_8), true)))
                .isEqualTo("error");
    }

    @Test
    void invalidUtf8IsRefusedInsideSkippedStrings() {
        byte[] b = "{\"a\":[\"ok\",\"b\u00e9d\"],\"b\":1}".getBytes(StandardCharsets.UTF_8);
        b[14] = (byte) 0x28; // the continuation byte of the é
        JsonScanner s = new JsonScanner(b, true);
        s.next();
        s.next();
        s.next();
        assertThatThrownBy(s::skipChildren)
                .isInstanceOf(JsonTokens.MalformedJson.class)
                .hasMessage(
                        "not valid JSON at line 1, column 15 (byte 14): invalid UTF-8 middle byte"
                                + " 0x28");
    }

    @Test
    void seededCorruptionsOfRealBlocksAreRefusedByBothOrNeither() throws IOException {
        Random random = new Random(14);
        int refused = 0;
        int mutations = 0;
        for (Path f : SharedData.getBlockFiles()) {
            byte[] good = Files.readAllBytes(f);
            if (good.length > 200_000) {
                continue; // the two big blocks: same shapes as the smaller ones, 20x the time
            }
            Long slot = GetBlockDecoder.slotFromFileName(f.getFileName().toString());
            for (int i = 0; i < 40; i++) {
                byte[] bad = mutate(good, random);
                mutations++;
                List<String> want = tokens(jackson(bad));
                String what = f + " mutation " + i;
                assertThat(tokens(new JsonScanner(bad, true))).as(what).isEqualTo(want);
                assertThat(skipped(new JsonScanner(bad, true)))
                        .as(what)
                        .isEqualTo(skipped(jackson(bad)));
                for (Projection p :
                        List.of(
                                Projection.EVERYTHING,
                                // inner instructions' program indexes only: the scanner's
                                // skipObjectKeepingInt against Jackson's token by token
                                Projection.all(io.ipdm.connectors.solana.SolanaTable.TRANSACTIONS),
                                Projection.of(
                                        io.ipdm.connectors.solana.SolanaTable.TRANSACTIONS,
                                        List.of("signature", "fee")))) {
                    String a = decoded(() -> GetBlockDecoder.decode(bad, "f", slot, p));
                    String b = decoded(() -> JacksonTokenDecoder.decode(bad, "f", slot, p));
                    if (a.startsWith("json error") || b.startsWith("json error")) {
                        assertThat(a).as(what + " " + p).isEqualTo("json error");
                        assertThat(b).as(what + " " + p).isEqualTo("json error");
                    } else {
                        assertThat(a).as(what + " " + p).isEqualTo(b);
                    }
                    refused += a.startsWith("json error") || a.startsWith("error") ? 1 : 0;
                }
            }
        }
        assertThat(mutations).isGreaterThan(500);
        assertThat(refused).isGreaterThan(mutations / 2);
    }

    /**
     * {@code skipObjectKeepingInt} on instruction-like objects and corruptions of each: when it
     * takes an object, Jackson reads the same object with the same integer field and the same
     * tokens after it; when it does not, nothing was consumed.
     */
    @Test
    void skipObjectKeepingIntTakesOnlyWhatJacksonReadsTheSame() throws IOException {
        byte[] name = "programIdIndex".getBytes(StandardCharsets.US_ASCII);
        List<String> shapes =
                List.of(
                        "{\"accounts\":[1,2,30],\"data\":\"3Bxs\",\"programIdIndex\":7,\"stackHeight\":2}",
                        "{\"programIdIndex\":0}",
                        "{\"programIdIndex\":123456789,\"x\":{\"y\":[true,null,-1.5e3]}}",
                        "{\"programIdIndex\":1234567890}",
                        "{\"programIdIndex\":-1}",
                        "{\"programIdIndex\":07}",
                        "{\"programIdIndex\":7.0}",
                        "{\"programIdIndex\":\"7\"}",
                        "{\"programIdIndex\":7,\"programIdIndex\":8}",
                        "{\"programIdInde\\u0078\":7}",
                        "{\"programId\":\"Vote111\"}",
                        "{\"programIdIndex\": 7}",
                        "{ \"programIdIndex\":7}",
                        "{}",
                        "{\"data\":\"a\\\"b\",\"programIdIndex\":3}");
        Random random = new Random(15);
        int taken = 0;
        for (int i = 0; i < 4000; i++) {
            String shape = shapes.get(i % shapes.size());
            byte[] good = ("[" + shape + ",5]").getBytes(StandardCharsets.UTF_8);
            byte[] doc = i < shapes.size() ? good : mutate(good, random);
            String what = new String(doc, StandardCharsets.UTF_8);
            JsonScanner s = new JsonScanner(doc, true);
            long got;
            try {
                if (s.next() != JsonToken.START_ARRAY || s.next() != JsonToken.START_OBJECT) {
                    continue;
                }
                got = s.skipObjectKeepingInt(name);
            } catch (JsonTokens.MalformedJson e) {
                continue;
            }
            if (got == JsonTokens.NOT_TAKEN) {
                // nothing consumed: the object is read token by token from its first field
                JsonScanner again = new JsonScanner(doc, true);
                again.next();
                again.next();
                assertThat(tokens(s)).as(what).isEqualTo(tokens(again));
                continue;
            }
            taken++;
            JsonParser j = GetBlockDecoder.MAPPER.createParser(doc);
            j.nextToken();
            j.nextToken();
            com.fasterxml.jackson.databind.JsonNode o = GetBlockDecoder.MAPPER.readTree(j);
            assertThat(o.get("programIdIndex").isInt()).as(what).isTrue();
            assertThat(o.get("programIdIndex").asLong()).as(what).isEqualTo(got);
            JsonTokens walked = jackson(doc);
            walked.next();
            walked.next();
            walked.skipChildren();
            assertThat(tokens(s)).as(what).isEqualTo(tokens(walked));
        }
        assertThat(taken).isGreaterThan(250);
    }

    /**
     * The skip loop (strings and digit runs 8 bytes per step) against Jackson on seeded random
     * JSON: numbers of every length around the 8-byte steps, decimals and exponents, strings with
     * escapes and 2-4 byte UTF-8 at every offset, white space between tokens, nesting; then each
     * document corrupted. Both accept or both refuse, and what follows the skipped value is read
     * the same.
     */
    @Test
    void skippingRandomJsonAgreesWithJacksonIntactAndCorrupted() throws IOException {
        skippingAgreesWithJackson(new Random(8), true);
    }

    /**
     * The same without white space between tokens, as RPC servers write JSON: what {@code
     * skipChildren}'s compact fast path takes (with white space it leaves a container to the
     * general loop at once).
     */
    @Test
    void skippingRandomCompactJsonAgreesWithJacksonIntactAndCorrupted() throws IOException {
        skippingAgreesWithJackson(new Random(9), false);
    }

    private static void skippingAgreesWithJackson(Random random, boolean spaces)
            throws IOException {
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder("{\"v\":");
            randomValue(sb, random, 0, spaces);
            sb.append(",\"after\":[1,\"x\"]}");
            byte[] good = sb.toString().getBytes(StandardCharsets.UTF_8);
            for (byte[] doc : List.of(good, mutate(good, random))) {
                String what = new String(doc, StandardCharsets.UTF_8);
                // after the root value, Jackson refuses a number not set apart by white space
                // while the scanner returns it as more content (which the decoder refuses)
                assertThat(skipped(new JsonScanner(doc, true)).replace("more", "error"))
                        .as(what)
                        .isEqualTo(skipped(jackson(doc)).replace("more", "error"));
                List<String> walked = tokens(jackson(doc));
                assertThat(skipValueThenRest(new JsonScanner(doc, true)))
                        .as(what)
                        .isEqualTo(skipValueThenRest(jackson(doc)));
                refused += walked.contains("error") ? 1 : 0;
                if (doc == good) {
                    assertThat(walked).as(what).doesNotContain("error");
                }
            }
        }
        assertThat(refused).isGreaterThan(1000);
    }

    /**
     * Skips the value of the first field, then lists the tokens after it up to the end of the root
     * object (or "error").
     */
    private static List<String> skipValueThenRest(JsonTokens t) {
        List<String> out = new ArrayList<>();
        try {
            t.next();
            t.next();
            t.next();
            t.skipChildren();
            int depth = 1;
            while (depth > 0) {
                JsonToken k = t.next();
                if (k == null) {
                    out.add("end of input");
                    break;
                }
                String s = "";
                if (k == JsonToken.FIELD_NAME) { // Jackson reads a name and its value together
                    s = t.name() + " ";
                    k = t.next();
                }
                depth += k.isStructStart() ? 1 : k.isStructEnd() ? -1 : 0;
                out.add(s + k + (k.isScalarValue() ? " " + t.text() : ""));
            }
        } catch (JsonTokens.MalformedJson e) {
            out.add("error");
        }
        return out;
    }

    private static void randomValue(StringBuilder sb, Random r, int depth, boolean spaces) {
        int kind = r.nextInt(depth > 4 ? 4 : 7);
        space(sb, r, spaces);
        switch (kind) {
            case 0 -> randomNumber(sb, r);
            case 1, 2 -> randomString(sb, r);
            case 3 -> sb.append(List.of("true", "false", "null").get(r.nextInt(3)));
            case 4, 5 -> {
                sb.append('[');
                int n = r.nextInt(6);
                for (int k = 0; k < n; k++) {
                    if (k > 0) {
                        sb.append(',');
                    }
                    randomValue(sb, r, depth + 1, spaces);
                }
                space(sb, r, spaces);
                sb.append(']');
            }
            default -> {
                sb.append('{');
                int n = r.nextInt(6);
                for (int k = 0; k < n; k++) {
                    if (k > 0) {
                        sb.append(',');
                    }
                    space(sb, r, spaces);
                    randomString(sb, r);
                    space(sb, r, spaces);
                    sb.append(':');
                    randomValue(sb, r, depth + 1, spaces);
                }
                space(sb, r, spaces);
                sb.append('}');
            }
        }
        space(sb, r, spaces);
    }

    private static void space(StringBuilder sb, Random r, boolean spaces) {
        if (r.nextInt(6) == 0 && spaces) {
            sb.append(" \n\t\r".charAt(r.nextInt(4)));
        }
    }

    private static void randomNumber(StringBuilder sb, Random r) {
        if (r.nextBoolean()) {
            sb.append('-');
        }
        int digits = 1 + r.nextInt(r.nextInt(4) == 0 ? 40 : 19);
        sb.append(1 + r.nextInt(9));
        for (int k = 1; k < digits; k++) {
            sb.append(r.nextInt(10));
        }
        if (r.nextInt(3) == 0) {
            sb.append('.');
            for (int k = 0, n = 1 + r.nextInt(17); k < n; k++) {
                sb.append(r.nextInt(10));
            }
        }
        if (r.nextInt(5) == 0) {
            sb.append(r.nextBoolean() ? 'e' : 'E').append(List.of("", "+", "-").get(r.nextInt(3)));
            sb.append(1 + r.nextInt(300));
        }
    }

    private static void randomString(StringBuilder sb, Random r) {
        sb.append('"');
        int n = r.nextInt(r.nextInt(4) == 0 ? 120 : 20);
        for (int k = 0; k < n; k++) {
            int what = r.nextInt(20);
            if (what == 0) {
                sb.append(
                        List.of("\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\t").get(r.nextInt(6)));
            } else if (what == 1) {
                sb.append(List.of("\u00e9", "\u20ac", "\ud83d\ude00", "\u0416").get(r.nextInt(4)));
            } else {
                char c = (char) (' ' + r.nextInt(95));
                sb.append(c == '"' || c == '\\' ? 'q' : c);
            }
        }
        sb.append('"');
    }

    private interface Decode {
        SolanaBlock run();
    }

    private static String decoded(Decode d) {
        try {
            return StreamingDecoderDifferentialTest.dump(d.run());
        } catch (SolanaDecodeException e) {
            return e.getMessage().contains("not valid JSON")
                    ? "json error"
                    : "error " + e.getMessage();
        }
    }

    private static byte[] mutate(byte[] good, Random random) {
        int at = random.nextInt(good.length);
        return switch (random.nextInt(4)) {
            case 0 -> java.util.Arrays.copyOf(good, at); // truncated
            case 1 -> { // a byte deleted
                byte[] b = new byte[good.length - 1];
                System.arraycopy(good, 0, b, 0, at);
                System.arraycopy(good, at + 1, b, at, good.length - at - 1);
                yield b;
            }
            default -> { // a byte replaced
                byte[] b = good.clone();
                b[at] = MUTANTS[random.nextInt(MUTANTS.length)];
                yield b;
            }
        };
    }
}
