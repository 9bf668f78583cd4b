package io.ipdm.lakes.piece;

/**
 * Fr32 padding: every 127 bytes (1016 bits) become four 32-byte field elements of 254 bits each,
 * the two top bits of every 32nd byte left zero, so each leaf is a valid BLS12-381 scalar. Bits are
 * taken least significant first, as Filecoin's fr32 does.
 */
final class Fr32 {
    static final int IN = 127;
    static final int OUT = 128;

    private Fr32() {}

    /** Pads one 127-byte quantum at {@code in[inOff..]} into 128 bytes at {@code out[outOff..]}. */
    static void pad(byte[] in, int inOff, byte[] out, int outOff) {
        System.arraycopy(in, inOff, out, outOff, 31);
        out[outOff + 31] = (byte) (in[inOff + 31] & 0x3F);
        // word 1 starts at input bit 254: shift by 6 (byte 31 + 6 bits)
        for (int t = 0; t < 32; t++) {
            int lo = in[inOff + 31 + t] & 0xFF;
            int hi = in[inOff + 32 + t] & 0xFF;
            out[outOff + 32 + t] = (byte) ((lo >>> 6) | (hi << 2));
        }
        out[outOff + 63] &= 0x3F;
        // word 2 starts at input bit 508: byte 63 + 4 bits
        for (int t = 0; t < 32; t++) {
            int lo = in[inOff + 63 + t] & 0xFF;
            int hi = in[inOff + 64 + t] & 0xFF;
            out[outOff + 64 + t] = (byte) ((lo >>> 4) | (hi << 4));
        }
        out[outOff + 95] &= 0x3F;
        // word 3 starts at input bit 762: byte 95 + 2 bits; the last input byte is 126
        for (int t = 0; t < 31; t++) {
            int lo = in[inOff + 95 + t] & 0xFF;
            int hi = in[inOff + 96 + t] & 0xFF;
            out[outOff + 96 + t] = (byte) ((lo >>> 2) | (hi << 6));
        }
        out[outOff + 127] = (byte) ((in[inOff + 126] & 0xFF) >>> 2);
    }
}
