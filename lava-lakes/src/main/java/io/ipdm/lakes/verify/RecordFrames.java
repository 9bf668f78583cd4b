package io.ipdm.lakes.verify;

import io.ipdm.mesh.records.RecordException;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Signed records back to back, each preceded by its length as an unsigned varint: how a node hands
 * out attestations over HTTP ({@code GET /ipdm/attestations/ROOT}). Decoding stops at {@code
 * maxRecords} and refuses a record longer than {@code maxRecordBytes}.
 */
public final class RecordFrames {
    private RecordFrames() {}

    public static byte[] encode(List<SignedRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (SignedRecord r : records) {
            byte[] e = r.encoded();
            out.writeBytes(Varint.encode(e.length));
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    /**
     * @throws AttestationException naming the offset of the first malformed frame or record
     */
    public static List<SignedRecord> decode(byte[] data, int maxRecords, int maxRecordBytes) {
        List<SignedRecord> out = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            if (out.size() >= maxRecords) {
                throw new AttestationException(
                        "more than " + maxRecords + " records (maxRecords); refused");
            }
            Varint.Decoded len;
            try {
                len = Varint.read(data, pos);
            } catch (MultiformatException e) {
                throw new AttestationException(
                        "record frame at offset " + pos + ": " + e.getMessage());
            }
            int start = pos + len.length();
            if (len.value() > maxRecordBytes || start + len.value() > data.length) {
                throw new AttestationException(
                        "record frame at offset "
                                + pos
                                + " declares "
                                + len.value()
                                + " bytes; "
                                + (len.value() > maxRecordBytes
                                        ? "the limit is " + maxRecordBytes
                                        : "only " + (data.length - start) + " remain"));
            }
            byte[] rec = java.util.Arrays.copyOfRange(data, start, start + (int) len.value());
            try {
                out.add(SignedRecord.decode(rec, Attestation.MAX_VALUE));
            } catch (RecordException e) {
                throw new AttestationException("record at offset " + pos + ": " + e.getMessage());
            }
            pos = start + (int) len.value();
        }
        return out;
    }
}
