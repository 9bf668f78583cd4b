package io.ipdm.connectors.gossipsub;

/** How message payloads map to rows. */
public enum PayloadFormat {
    /** The payload is a JSON object; its members fill the declared fields by name. */
    JSON,
    /** The payload is kept as bytes in a {@code data} field. */
    RAW,
    /**
     * The payload is an Arrow IPC stream with one record batch; its columns fill the declared
     * fields by name, one row per batch row.
     */
    ARROW
}
