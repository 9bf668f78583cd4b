package io.ipdm.lakes.verify;

import io.ipdm.lakes.ipld.CodecException;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a node says it got for one closed window of one job: the root CID of the window's rows as
 * {@link io.ipdm.lakes.window.WindowArchive} encodes them. Carried as a {@link SignedRecord} (the
 * author is the signing key):
 *
 * <pre>
 * key     = "ipdm/attest/v1/" job "/" sink "/" window_start "/" window_end   (ASCII)
 * value   = dag-cbor {v: 1, job: CID, sink: text, window_start: int, window_end: int,
 *                     root: CID, rows: int, time: int (epoch millis)}
 * version = time
 * </pre>
 *
 * One author holds one attestation per window (the record store keeps the highest version), so an
 * older attestation replayed is stale and a second root signed with the same time is a conflict.
 * The key repeats the value's window so that a record cannot claim one window in its key and
 * another in its value ({@link #of} refuses it).
 *
 * @param job the job's CID (its canonical definition)
 * @param sink the sink whose input the window belongs to
 * @param windowStart window start, epoch millis
 * @param windowEnd window end, epoch millis
 * @param root the window's root CID
 * @param rows rows in the window
 * @param time when it was attested, epoch millis
 */
public record Attestation(
        Cid job, String sink, long windowStart, long windowEnd, Cid root, long rows, long time) {
    public static final String KEY_PREFIX = "ipdm/attest/v1/";

    /** Largest value accepted when decoding. */
    public static final int MAX_VALUE = 4096;

    public Attestation {
        if (job == null || root == null) {
            throw new AttestationException("an attestation needs a job CID and a root CID");
        }
        if (sink == null || sink.isEmpty() || sink.indexOf('/') >= 0 || sink.length() > 200) {
            throw new AttestationException(
                    "attestation sink id must be 1..200 characters without '/', got '"
                            + sink
                            + "'");
        }
        if (rows < 0 || time < 0) {
            throw new AttestationException("attestation rows and time must not be negative");
        }
    }

    /** The window this attests, the same for every author: {@code job/sink/start/end}. */
    public String window() {
        return job + "/" + sink + "/" + windowStart + "/" + windowEnd;
    }

    /** The record key. */
    public byte[] key() {
        return (KEY_PREFIX + window()).getBytes(StandardCharsets.US_ASCII);
    }

    /** Signs this attestation; the record's version is {@link #time}. */
    public SignedRecord sign(Ed25519KeyPair author) {
        return SignedRecord.sign(author, key(), value(), time);
    }

    private byte[] value() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1L);
        m.put("job", job);
        m.put("sink", sink);
        m.put("window_start", windowStart);
        m.put("window_end", windowEnd);
        m.put("root", root);
        m.put("rows", rows);
        m.put("time", time);
        return DagCbor.encode(m);
    }

    /** Whether {@code r}'s key says it is an attestation. */
    public static boolean isAttestation(SignedRecord r) {
        byte[] k = r.key();
        byte[] p = KEY_PREFIX.getBytes(StandardCharsets.US_ASCII);
        if (k.length < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (k[i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The attestation a record carries; its signature is not checked here (the record store does).
     *
     * @throws AttestationException naming what is wrong with the record's key or value
     */
    public static Attestation of(SignedRecord r) {
        if (!isAttestation(r)) {
            throw new AttestationException(
                    r + ": not an attestation (key must start with " + KEY_PREFIX + ")");
        }
        Object v;
        try {
            v = DagCbor.decode(r.value());
        } catch (CodecException e) {
            throw new AttestationException(r + ": value is not dag-cbor: " + e.getMessage());
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new AttestationException(r + ": value is not a dag-cbor map");
        }
        if (!Long.valueOf(1).equals(m.get("v"))) {
            throw new AttestationException(
                    r + ": unknown attestation version " + m.get("v") + " (this node reads v 1)");
        }
        Attestation a;
        try {
            a =
                    new Attestation(
                            (Cid) need(m, "job", Cid.class, r),
                            (String) need(m, "sink", String.class, r),
                            (Long) need(m, "window_start", Long.class, r),
                            (Long) need(m, "window_end", Long.class, r),
                            (Cid) need(m, "root", Cid.class, r),
                            (Long) need(m, "rows", Long.class, r),
                            (Long) need(m, "time", Long.class, r));
        } catch (AttestationException e) {
            throw new AttestationException(r + ": " + e.getMessage());
        }
        if (m.size() != 8) {
            throw new AttestationException(r + ": value has unknown keys " + m.keySet());
        }
        if (!r.keyText().equals(KEY_PREFIX + a.window())) {
            throw new AttestationException(
                    r + ": key does not match the value's window " + a.window());
        }
        if (r.version() != a.time()) {
            throw new AttestationException(
                    r + ": version " + r.version() + " is not the attestation time " + a.time());
        }
        return a;
    }

    private static Object need(Map<?, ?> m, String key, Class<?> type, SignedRecord r) {
        Object v = m.get(key);
        if (!type.isInstance(v)) {
            throw new AttestationException(
                    "'"
                            + key
                            + "' must be "
                            + (type == Cid.class
                                    ? "a CID link"
                                    : type == Long.class ? "an integer" : "text")
                            + ", got "
                            + v);
        }
        return v;
    }
}
