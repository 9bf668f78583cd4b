package io.ipdm.connectors.solana.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * A Solana transaction decoded from its wire format (what getBlock returns base58/base64 encoded,
 * and what Old Faithful archives store as bincode {@code VersionedTransaction}).
 *
 * <pre>
 * transaction  = compact-u16 n, n x signature[64], message
 * message      = [0x80 | version]   (absent for legacy: first byte has the top bit clear)
 *                u8 numRequiredSignatures, u8 numReadonlySigned, u8 numReadonlyUnsigned
 *                compact-u16 k, k x pubkey[32]
 *                recentBlockhash[32]
 *                compact-u16 m, m x (u8 programIdIndex, compact-u16 a, a x u8, compact-u16 d, d x u8)
 *                v0 only: compact-u16 l, l x (pubkey[32], compact-u16 w, w x u8, compact-u16 r, r x u8)
 * compact-u16  = 1-3 bytes, 7 bits each, least significant first, high bit = more
 * </pre>
 *
 * <p>Decoding never allocates more than the input can hold: every count is checked against the
 * bytes left before an array is made.
 *
 * @param version -1 for legacy, otherwise the versioned-message version (only 0 exists)
 * @param messageOffset where the signed message starts in the input
 */
public record WireTransaction(
        byte[][] signatures,
        int version,
        int numRequiredSignatures,
        int numReadonlySigned,
        int numReadonlyUnsigned,
        byte[][] staticAccountKeys,
        byte[] recentBlockhash,
        List<CompiledInstruction> instructions,
        List<AddressTableLookup> addressTableLookups,
        int messageOffset) {

    public static final int LEGACY = -1;

    /** Decodes a whole buffer; trailing bytes are an error. */
    public static WireTransaction decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes {@code len} bytes of {@code buf} from {@code off} (a reused decode buffer: every
     * field is copied out, the buffer may be overwritten after); trailing bytes are an error.
     * Offsets in errors and {@link #messageOffset} count from {@code off}.
     */
    public static WireTransaction decode(byte[] buf, int off, int len) {
        Cursor c = new Cursor(buf, off, off + len);
        WireTransaction tx;
        try {
            tx = decode(c);
        } catch (MalformedTransactionException e) {
            if (off == 0) {
                throw e;
            }
            throw new MalformedTransactionException(e.offset() - off, e.reason());
        }
        if (c.pos != off + len) {
            throw new MalformedTransactionException(
                    c.pos - off, (off + len - c.pos) + " trailing bytes after the message");
        }
        return tx;
    }

    /** Decodes one transaction starting at {@code c}'s position and leaves it after the message. */
    static WireTransaction decode(Cursor c) {
        int base = c.pos; // offsets count from where the transaction starts
        int numSigs = c.compactU16("signature count");
        byte[][] sigs = new byte[c.checkCount(numSigs, 64, "signatures")][];
        for (int i = 0; i < numSigs; i++) {
            c.index = i;
            sigs[i] = c.bytes(64, "signature #");
        }
        int messageOffset = c.pos;
        int first = c.u8("message header");
        int version = LEGACY;
        int numRequired;
        if ((first & 0x80) != 0) {
            version = first & 0x7f;
            if (version != 0) {
                throw new MalformedTransactionException(
                        messageOffset, "unsupported message version " + version);
            }
            numRequired = c.u8("message header");
        } else {
            numRequired = first;
        }
        int numReadonlySigned = c.u8("message header");
        int numReadonlyUnsigned = c.u8("message header");
        int numKeys = c.compactU16("account key count");
        byte[][] keys = new byte[c.checkCount(numKeys, 32, "account keys")][];
        for (int i = 0; i < numKeys; i++) {
            c.index = i;
            keys[i] = c.bytes(32, "account key #");
        }
        if (numRequired > numKeys) {
            throw new MalformedTransactionException(
                    messageOffset,
                    "header requires " + numRequired + " signatures but has " + numKeys + " keys");
        }
        byte[] blockhash = c.bytes(32, "recent blockhash");
        int numIx = c.compactU16("instruction count");
        List<CompiledInstruction> ixs = new ArrayList<>(c.checkCount(numIx, 3, "instructions"));
        for (int i = 0; i < numIx; i++) {
            c.index = i;
            int program = c.u8("program id index of instruction #");
            int[] accounts = c.u8Array("accounts of instruction #");
            int dataLen = c.compactU16("data length of instruction #");
            byte[] data = c.bytes(dataLen, "data of instruction #");
            ixs.add(new CompiledInstruction(program, accounts, data));
        }
        List<AddressTableLookup> lookups = List.of();
        if (version == 0) {
            int numLookups = c.compactU16("address table lookup count");
            lookups = new ArrayList<>(c.checkCount(numLookups, 34, "address table lookups"));
            for (int i = 0; i < numLookups; i++) {
                c.index = i;
                byte[] table = c.bytes(32, "lookup table key #");
                int[] w = c.u8Array("writable indexes of lookup #");
                int[] r = c.u8Array("readonly indexes of lookup #");
                lookups.add(new AddressTableLookup(table, w, r));
            }
        }
        return new WireTransaction(
                sigs,
                version,
                numRequired,
                numReadonlySigned,
                numReadonlyUnsigned,
                keys,
                blockhash,
                ixs,
                lookups,
                messageOffset - base);
    }

    /** "legacy" or the version number, as getBlock reports it. */
    public String versionName() {
        return version == LEGACY ? "legacy" : Integer.toString(version);
    }

    public int loadedWritableCount() {
        int n = 0;
        for (AddressTableLookup l : addressTableLookups) {
            n += l.writableIndexes().length;
        }
        return n;
    }

    public int loadedReadonlyCount() {
        int n = 0;
        for (AddressTableLookup l : addressTableLookups) {
            n += l.readonlyIndexes().length;
        }
        return n;
    }

    /** A read position over a byte range; every read checks the bytes left. */
    static final class Cursor {
        final byte[] buf;
        int pos;
        final int end;

        /** The element being read, put in place of '#' in an error's description. */
        int index = -1;

        Cursor(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        /** A description for an error, built only when one is thrown (the hot path builds none). */
        private String name(String what) {
            int at = what.indexOf('#');
            return at < 0 ? what : what.substring(0, at) + index + what.substring(at + 1);
        }

        int u8(String what) {
            if (pos >= end) {
                throw new MalformedTransactionException(pos, "truncated: expected " + name(what));
            }
            return buf[pos++] & 0xff;
        }

        int compactU16(String what) {
            int read;
            try {
                read = ShortVec.read(buf, pos, end);
            } catch (ShortVec.MalformedException e) {
                int at = e.offset();
                throw new MalformedTransactionException(
                        at,
                        switch (e.problem()) {
                            case TRUNCATED -> "truncated: expected " + name(what);
                            case NON_CANONICAL -> "non-canonical compact-u16 for " + name(what);
                            case TOO_LARGE -> "compact-u16 for " + name(what) + " exceeds 65535";
                            case TOO_LONG ->
                                    "compact-u16 for " + name(what) + " longer than 3 bytes";
                        });
            }
            pos += ShortVec.length(read);
            return ShortVec.value(read);
        }

        byte[] bytes(int n, String what) {
            if (end - pos < n) {
                throw new MalformedTransactionException(
                        pos,
                        "truncated: "
                                + name(what)
                                + " needs "
                                + n
                                + " bytes, "
                                + (end - pos)
                                + " left");
            }
            byte[] out = new byte[n];
            System.arraycopy(buf, pos, out, 0, n);
            pos += n;
            return out;
        }

        int[] u8Array(String what) {
            int n = compactU16(what);
            checkCount(n, 1, what);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = buf[pos++] & 0xff;
            }
            return out;
        }

        /** Rejects a count whose minimal encoding could not fit in the bytes left. */
        int checkCount(int n, int minBytesEach, String what) {
            if ((long) n * minBytesEach > end - pos) {
                throw new MalformedTransactionException(
                        pos,
                        "truncated: "
                                + n
                                + " "
                                + name(what)
                                + " need at least "
                                + ((long) n * minBytesEach)
                                + " bytes, "
                                + (end - pos)
                                + " left");
            }
            return n;
        }
    }
}
