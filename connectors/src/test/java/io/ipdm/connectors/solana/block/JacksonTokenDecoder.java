package io.ipdm.connectors.solana.block;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * BASELINE ONLY: the getBlock decoder as it was before {@link JsonScanner}: the same {@link
 * BlockParser} reading Jackson's streaming token parser over the bytes. For the benchmark's
 * "previous decoder" line and the scanner's differential tests.
 */
public final class JacksonTokenDecoder {
    private JacksonTokenDecoder() {}

    public static SolanaBlock decode(byte[] json, String source, Long slot, Projection projection) {
        return decode(json, source, slot, projection, false);
    }

    public static SolanaBlock decode(
            byte[] json, String source, Long slot, Projection projection, boolean verify) {
        try {
            return new BlockParser(
                            new JacksonTokens(GetBlockDecoder.MAPPER.createParser(json)),
                            source,
                            slot,
                            projection,
                            verify)
                    .parse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
