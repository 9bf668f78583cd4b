package io.ipdm.lakes.replication;

import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;

/**
 * Messages of {@value BlockExchange#PROTOCOL}, protobuf-encoded, one request and one response per
 * stream (the mesh's request/response framing).
 *
 * <pre>
 * Request  { 1: kind (0 WANT, 1 PUT, 2 HAVE)  2: cid bytes  3: block data (PUT)  4: pin (PUT) }
 * Response { 1: status (0 OK, 1 NOT_FOUND, 2 REJECTED)  2: block data (WANT)  3: reason }
 * </pre>
 */
final class BlockMessage {
    enum Kind {
        WANT,
        PUT,
        HAVE
    }

    enum Status {
        OK,
        NOT_FOUND,
        REJECTED
    }

    record Request(Kind kind, Cid cid, byte[] data, boolean pin) {
        byte[] encode() {
            ProtoWriter w = new ProtoWriter().uint64(1, kind.ordinal()).bytes(2, cid.toBytes());
            if (data != null) {
                w.bytes(3, data);
            }
            return w.bool(4, pin).toByteArray();
        }

        static Request decode(byte[] msg) {
            ProtoReader r = new ProtoReader(msg, "block exchange request");
            Kind kind = null;
            Cid cid = null;
            byte[] data = null;
            boolean pin = false;
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> kind = enumValue(Kind.values(), r.uint64(), "request kind");
                    case 2 -> cid = Cid.fromBytes(r.bytes());
                    case 3 -> data = r.bytes();
                    case 4 -> pin = r.bool();
                    default -> r.skip();
                }
            }
            if (kind == null || cid == null) {
                throw new LakesException("block exchange request without kind or CID");
            }
            return new Request(kind, cid, data, pin);
        }
    }

    record Response(Status status, byte[] data, String reason) {
        byte[] encode() {
            ProtoWriter w = new ProtoWriter().uint64(1, status.ordinal());
            if (data != null) {
                w.bytes(2, data);
            }
            if (reason != null) {
                w.string(3, reason);
            }
            return w.toByteArray();
        }

        static Response decode(byte[] msg) {
            ProtoReader r = new ProtoReader(msg, "block exchange response");
            Status status = Status.OK;
            byte[] data = null;
            String reason = null;
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> status = enumValue(Status.values(), r.uint64(), "response status");
                    case 2 -> data = r.bytes();
                    case 3 -> reason = r.string();
                    default -> r.skip();
                }
            }
            return new Response(status, data, reason);
        }
    }

    private static <E> E enumValue(E[] values, long v, String what) {
        if (v < 0 || v >= values.length) {
            throw new LakesException("unknown block exchange " + what + " " + v);
        }
        return values[(int) v];
    }

    private BlockMessage() {}
}
