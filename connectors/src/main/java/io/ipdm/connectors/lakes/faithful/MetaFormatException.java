package io.ipdm.connectors.lakes.faithful;

/** Metadata bytes that do not follow the layout being tried (the other layout may still fit). */
final class MetaFormatException extends IllegalArgumentException {
    MetaFormatException(String message) {
        super(message);
    }
}
