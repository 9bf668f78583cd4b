package io.ipdm.mesh.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * multistream-select 1.0 messages (connections spec, "Protocol Negotiation"): each message is
 *
 * <pre>
 *   varint(len) UTF-8 text '\n'      (len counts the text and the newline)
 * </pre>
 *
 * Both sides first send {@value #PROTOCOL_ID}; the dialer then proposes protocol ids and the
 * listener echoes an accepted id or answers {@value #NA}.
 */
public final class Multistream {
    public static final String PROTOCOL_ID = "/multistream/1.0.0";
    public static final String NA = "na";

    /** Longest accepted message; protocol ids are short. */
    public static final int MAX_MESSAGE_LENGTH = 1024;

    private Multistream() {}

    public static ByteBuf encode(String... messages) {
        ByteBuf out = Unpooled.buffer();
        for (String m : messages) {
            byte[] b = (m + "\n").getBytes(StandardCharsets.UTF_8);
            writeVarint(out, b.length);
            out.writeBytes(b);
        }
        return out;
    }

    /**
     * Reads one message from {@code in} if it is complete, consuming it; returns null (consuming
     * nothing) if more bytes are needed.
     *
     * @throws MultistreamException on an over-long or malformed message
     */
    public static String tryRead(ByteBuf in) {
        int start = in.readerIndex();
        long len = 0;
        int i = 0;
        while (true) {
            if (i >= 3) {
                throw new MultistreamException("multistream message length varint too long");
            }
            if (!in.isReadable(i + 1)) {
                return null;
            }
            int b = in.getUnsignedByte(start + i);
            len |= (long) (b & 0x7F) << (7 * i);
            i++;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (len == 0 || len > MAX_MESSAGE_LENGTH) {
            throw new MultistreamException(
                    "multistream message length " + len + " outside 1.." + MAX_MESSAGE_LENGTH);
        }
        if (!in.isReadable(i + (int) len)) {
            return null;
        }
        if (in.getByte(start + i + (int) len - 1) != '\n') {
            throw new MultistreamException("multistream message does not end with a newline");
        }
        String s = in.toString(start + i, (int) len - 1, StandardCharsets.UTF_8);
        in.readerIndex(start + i + (int) len);
        return s;
    }

    private static void writeVarint(ByteBuf out, int v) {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }
}
