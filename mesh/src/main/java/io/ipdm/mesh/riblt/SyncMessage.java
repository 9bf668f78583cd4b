package io.ipdm.mesh.riblt;

import java.util.List;

/**
 * One message of {@code /ipdm/records/riblt/1.0.0}; see {@link SyncCodec} for the bytes.
 *
 * @param type what the message is
 * @param symbols coded symbols ({@link Type#SYMBOLS})
 * @param salt the stream's checksum salt ({@link Type#SYMBOLS})
 * @param items signed records ({@link Type#RECORDS}) or 32-byte digests ({@link Type#WANT})
 * @param reason why the sender ends the session ({@link Type#ABORT})
 */
public record SyncMessage(
        Type type, CodedSymbols symbols, long salt, List<byte[]> items, String reason) {
    public enum Type {
        /** Initiator: the next batch of coded symbols of its record digests. */
        SYMBOLS(1),
        /** Responder: not decoded yet, send the next batch. */
        MORE(2),
        /** Either side: signed records the other lacks. */
        RECORDS(3),
        /** Responder: digests of records it lacks (the initiator answers with RECORDS). */
        WANT(4),
        /** Responder: decoded; every RECORDS and WANT it had to send precedes this. */
        DONE(5),
        /** Initiator: sent every wanted record; the session is over. */
        FINISH(6),
        /** Either side: ends the session, with a reason. */
        ABORT(7);

        final int code;

        Type(int code) {
            this.code = code;
        }
    }

    static SyncMessage of(Type type) {
        return new SyncMessage(type, null, 0, List.of(), "");
    }

    static SyncMessage symbols(CodedSymbols s, long salt) {
        return new SyncMessage(Type.SYMBOLS, s, salt, List.of(), "");
    }

    static SyncMessage items(Type type, List<byte[]> items) {
        return new SyncMessage(type, null, 0, items, "");
    }

    static SyncMessage abort(String reason) {
        return new SyncMessage(Type.ABORT, null, 0, List.of(), reason);
    }
}
