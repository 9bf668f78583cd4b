package io.ipdm.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.multiformats.testutils.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class MultibaseTest {

    @TestFactory
    Stream<DynamicTest> everyVectorOfTheMultibaseSuite() throws IOException {
        Path dir = SharedData.require("ipld/multiformats/multibase/tests");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                byte[] input = unquote(lines.get(0).split(",", 2)[1]);
                boolean canonical = !lines.get(0).startsWith("non-canonical");
                for (String line : lines.subList(1, lines.size())) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] parts = line.split(",", 2);
                    Multibase base = Multibase.forName(parts[0].trim());
                    String text = new String(unquote(parts[1]), StandardCharsets.UTF_8);
                    tests.add(
                            DynamicTest.dynamicTest(
                                    f.getFileName() + " " + base.multibaseName(),
                                    () -> {
                                        assertThat(Multibase.decode(text)).isEqualTo(input);
                                        assertThat(Multibase.forPrefix(text)).isEqualTo(base);
                                        if (canonical) {
                                            assertThat(base.encode(input)).isEqualTo(text);
                                        }
                                    }));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(80);
        return tests.stream();
    }

    /** The CSV quotes strings and writes a NUL byte as the four characters \x00. */
    private static byte[] unquote(String field) {
        String s = field.trim();
        s = s.substring(1, s.length() - 1).replace("\\x00", "\0");
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rejectsUnknownPrefixAndBadCharacters() {
        assertThatThrownBy(() -> Multibase.decode("Qabc"))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("unknown multibase prefix 'Q'");
        assertThatThrownBy(() -> Multibase.decode("z0OIl"))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("invalid base58btc character '0' at position 0");
        assertThatThrownBy(() -> Multibase.decode("b1"))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("invalid base32 character '1' at position 0");
        assertThatThrownBy(() -> Multibase.decode(""))
                .isInstanceOf(MultiformatException.class)
                .hasMessage("empty multibase string");
    }

    @Test
    void roundTripsEveryBaseOnEdgeInputs() {
        byte[][] inputs = {{}, {0}, {0, 0, 1}, {(byte) 0xff, 0, (byte) 0x80}, "hello".getBytes()};
        for (Multibase base : Multibase.values()) {
            for (byte[] in : inputs) {
                assertThat(Multibase.decode(base.encode(in)))
                        .as(base.multibaseName())
                        .isEqualTo(in);
            }
        }
    }
}
