package io.ipdm.connectors.solana.bench.baseline;

/** Metadata bytes that do not follow the layout being tried (the other layout may still fit). */
final class OldMetaFormatException extends IllegalArgumentException {
    OldMetaFormatException(String message) {
        super(message);
    }
}
