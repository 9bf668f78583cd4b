package io.ipdm.connectors.solana.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WireTransactionTest {

    /** A v0 transaction: 1 signature, 2 static keys, 1 instruction, 1 lookup (2 w, 1 r). */
    static byte[] v0Transaction() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.writeBytes(filled(64, 9));
        out.write(0x80); // version 0
        out.writeBytes(new byte[] {1, 0, 1});
        out.write(2);
        out.writeBytes(filled(32, 1));
        out.writeBytes(filled(32, 2));
        out.writeBytes(filled(32, 3)); // blockhash
        out.write(1);
        out.write(1); // program index
        out.writeBytes(new byte[] {3, 0, 2, 4}); // accounts 0, 2, 4
        out.writeBytes(new byte[] {(byte) 0x81, 0x01}); // data length 129 as compact-u16
        out.writeBytes(filled(129, 7));
        out.write(1);
        out.writeBytes(filled(32, 5));
        out.writeBytes(new byte[] {2, 10, 11, 1, 12});
        return out.toByteArray();
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void decodesV0Message() {
        WireTransaction tx = WireTransaction.decode(v0Transaction());
        assertThat(tx.signatures()).hasNumberOfRows(1);
        assertThat(tx.version()).isZero();
        assertThat(tx.versionName()).isEqualTo("0");
        assertThat(tx.numRequiredSignatures()).isEqualTo(1);
        assertThat(tx.numReadonlyUnsigned()).isEqualTo(1);
        assertThat(tx.staticAccountKeys()).hasNumberOfRows(2);
        assertThat(tx.recentBlockhash()).isEqualTo(filled(32, 3));
        assertThat(tx.messageOffset()).isEqualTo(65);
        CompiledInstruction ix = tx.instructions().get(0);
        assertThat(ix.programIdIndex()).isEqualTo(1);
        assertThat(ix.accountIndexes()).containsExactly(0, 2, 4);
        assertThat(ix.data()).hasSize(129);
        AddressTableLookup l = tx.addressTableLookups().get(0);
        assertThat(l.writableIndexes()).containsExactly(10, 11);
        assertThat(l.readonlyIndexes()).containsExactly(12);
        assertThat(tx.loadedWritableCount()).isEqualTo(2);
        assertThat(tx.loadedReadonlyCount()).isEqualTo(1);
    }

    @Test
    void decodesLegacyMessage() {
        byte[] v0 = v0Transaction();
        // Drop the version prefix and the lookup section: that is the legacy layout.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(v0, 0, 65);
        out.write(v0, 66, v0.length - 66 - 38);
        WireTransaction tx = WireTransaction.decode(out.toByteArray());
        assertThat(tx.version()).isEqualTo(WireTransaction.LEGACY);
        assertThat(tx.versionName()).isEqualTo("legacy");
        assertThat(tx.addressTableLookups()).isEmpty();
        assertThat(tx.instructions().get(0).data()).isEqualTo(filled(129, 7));
    }

    @Test
    void rejectsTruncation() {
        byte[] full = v0Transaction();
        assertThatThrownBy(() -> WireTransaction.decode(Arrays.copyOf(full, 100)))
                .isInstanceOf(MalformedTransactionException.class)
                .hasMessage(
                        "malformed wire transaction at byte 70: truncated: 2 account keys need at"
                                + " least 64 bytes, 30 left");
        assertThatThrownBy(() -> WireTransaction.decode(Arrays.copyOf(full, full.length - 1)))
                .hasMessage(
                        "malformed wire transaction at byte "
                                + (full.length - 1)
                                + ": truncated: 1 readonly indexes of lookup 0 need at least 1"
                                + " bytes, 0 left");
        assertThatThrownBy(() -> WireTransaction.decode(new byte[0]))
                .hasMessage(
                        "malformed wire transaction at byte 0: truncated: expected signature"
                                + " count");
    }

    @Test
    void rejectsBadCompactU16AndVersionAndTrailingBytes() {
        assertThatThrownBy(() -> WireTransaction.decode(new byte[] {(byte) 0x80, 0x00}))
                .hasMessage(
                        "malformed wire transaction at byte 0: non-canonical compact-u16 for"
                                + " signature count");
        assertThatThrownBy(
                        () ->
                                WireTransaction.decode(
                                        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0x80}))
                .hasMessage(
                        "malformed wire transaction at byte 0: compact-u16 for signature count"
                                + " longer than 3 bytes");
        assertThatThrownBy(
                        () -> WireTransaction.decode(new byte[] {(byte) 0xff, (byte) 0xff, 0x04}))
                .hasMessage(
                        "malformed wire transaction at byte 0: compact-u16 for signature count"
                                + " exceeds 65535");
        byte[] v1 = v0Transaction();
        v1[65] = (byte) 0x81;
        assertThatThrownBy(() -> WireTransaction.decode(v1))
                .hasMessage("malformed wire transaction at byte 65: unsupported message version 1");
        byte[] extra = Arrays.copyOf(v0Transaction(), v0Transaction().length + 2);
        assertThatThrownBy(() -> WireTransaction.decode(extra))
                .hasMessage(
                        "malformed wire transaction at byte "
                                + (extra.length - 2)
                                + ": 2 trailing bytes after the message");
    }
}
