package io.ipdm.connectors.solana.testutils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Reference serializer bytes kept per version under src/test/resources/serializer-snapshots. */
public final class SerializerReference {
    private SerializerReference() {}

    public static byte[] load(String name) {
        String resource = "/serializer-snapshots/" + name + ".hex";
        try (InputStream in = SerializerReference.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing reference bytes " + resource);
            }
            return HexFormat.of()
                    .parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
