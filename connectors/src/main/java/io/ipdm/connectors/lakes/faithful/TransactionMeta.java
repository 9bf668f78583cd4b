package io.ipdm.connectors.lakes.faithful;

import com.github.luben.zstd.ZstdDecompressCtx;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.airlift.compress.zstd.ZstdInputStream;
import io.ipdm.connectors.solana.block.InnerInstructions;
import io.ipdm.connectors.solana.block.TokenBalance;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.protobuf.ProtobufException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The metadata frame of an Old Faithful transaction node, decoded straight into the fields the
 * Solana model holds (no JSON): error (as getBlock's compact JSON text), fee, compute units, inner
 * instructions, token balances and the addresses loaded from lookup tables; balances and log
 * messages only when asked for ({@link #ALL}).
 *
 * <p>The frame is zstd-compressed. Inside is either Solana's protobuf {@code TransactionStatusMeta}
 * ({@code storage-proto/proto/confirmed_block.proto}) or, for the oldest epochs, the bincode {@code
 * StoredTransactionStatusMeta} of the ledger's transaction-status column. Old Faithful used bincode
 * before epoch {@value #BINCODE_BEFORE_EPOCH}; both layouts are tried, the epoch's one first.
 *
 * <p>Fields a caller did not ask for are skipped without being decoded ({@link #INNER}, {@link
 * #TOKENS}, {@link #LOGS_AND_BALANCES}); fee, error, compute units and loaded addresses are always
 * read.
 */
public final class TransactionMeta {
    public static final long SLOTS_PER_EPOCH = 432_000;
    public static final long BINCODE_BEFORE_EPOCH = 157;

    /** Decode inner instructions. */
    public static final int INNER = 1;

    /** Decode pre/post token balances. */
    public static final int TOKENS = 2;

    /** Decode lamport balances and log messages (not part of the row model). */
    public static final int LOGS_AND_BALANCES = 4;

    public static final int ALL = INNER | TOKENS | LOGS_AND_BALANCES;

    /** A decompressed metadata larger than this is refused rather than allocated. */
    static final int MAX_META_BYTES = 64 << 20;

    /** meta.err as compact JSON, null on success. */
    String error;

    long fee;
    Long computeUnits;

    /** null: none recorded (getBlock's null); the model turns it into an empty list. */
    List<InnerInstructions> inner = List.of();

    List<TokenBalance> preTokenBalances = List.of();
    List<TokenBalance> postTokenBalances = List.of();

    /** Raw 32-byte keys. */
    List<byte[]> loadedWritable = List.of();

    List<byte[]> loadedReadonly = List.of();
    long[] preBalances;
    long[] postBalances;

    /** null: none recorded. */
    List<String> logMessages;

    TransactionMeta() {}

    public String error() {
        return error;
    }

    public long fee() {
        return fee;
    }

    public Long computeUnits() {
        return computeUnits;
    }

    public List<InnerInstructions> innerInstructions() {
        return inner;
    }

    public List<TokenBalance> preTokenBalances() {
        return preTokenBalances;
    }

    public List<TokenBalance> postTokenBalances() {
        return postTokenBalances;
    }

    public List<byte[]> loadedWritable() {
        return loadedWritable;
    }

    public List<byte[]> loadedReadonly() {
        return loadedReadonly;
    }

    public long[] preBalances() {
        return preBalances;
    }

    public long[] postBalances() {
        return postBalances;
    }

    public List<String> logMessages() {
        return logMessages;
    }

    /** The whole frame; see {@link #decode(byte[], int, int, long, int)}. */
    public static TransactionMeta decode(byte[] frame, long slot) {
        return decode(frame, 0, frame.length, slot, ALL);
    }

    /**
     * The metadata in {@code buf[offset, offset + length)}, or null when the frame is empty (Old
     * Faithful writes an empty frame when the ledger had no status for the transaction). Errors are
     * {@link LakesException}s saying what is wrong; the caller adds where.
     */
    public static TransactionMeta decode(byte[] buf, int offset, int length, long slot, int what) {
        if (length == 0) {
            return null;
        }
        Inflated in = INFLATED.get();
        inflate(buf, offset, length, "transaction metadata", in);
        byte[] raw = in.buf;
        int n = in.length;
        boolean bincodeFirst = slot / SLOTS_PER_EPOCH < BINCODE_BEFORE_EPOCH;
        try {
            return bincodeFirst ? BincodeMeta.decode(raw, n, what) : ProtoMeta.decode(raw, n, what);
        } catch (MetaFormatException | ProtobufException first) {
            try {
                return bincodeFirst
                        ? ProtoMeta.decode(raw, n, what)
                        : BincodeMeta.decode(raw, n, what);
            } catch (MetaFormatException | ProtobufException second) {
                throw new LakesException(
                        "transaction metadata is neither bincode ("
                                + (bincodeFirst ? first : second).getMessage()
                                + ") nor protobuf ("
                                + (bincodeFirst ? second : first).getMessage()
                                + ")");
            }
        }
    }

    /** {@link #status}: the transaction succeeded (its metadata has no {@code err}). */
    public static final int SUCCEEDED = 1;

    /** {@link #status}: the transaction failed. */
    public static final int FAILED = 0;

    /** {@link #status}: the first byte cannot tell; decode the whole frame. */
    public static final int STATUS_UNKNOWN = -1;

    /**
     * Whether the transaction succeeded, read from the first byte its metadata frame inflates to
     * ({@link ZstdHead}) without inflating the rest: {@link #SUCCEEDED}, {@link #FAILED}, or {@link
     * #STATUS_UNKNOWN} when that byte cannot tell (then the caller decodes the whole frame, which
     * also says what is wrong with a bad one). Solana's protobuf writer puts fields in number
     * order, so {@code err} (field 1) comes first when it is there, and the tag of a later field
     * first means there is none. The bincode layout of the oldest epochs is not read this way.
     */
    public static int status(byte[] buf, int offset, int length, long slot) {
        if (length == 0 || slot / SLOTS_PER_EPOCH < BINCODE_BEFORE_EPOCH) {
            return STATUS_UNKNOWN;
        }
        Inflated in = INFLATED.get();
        if (in.head == null) {
            in.head = new ZstdHead();
        }
        int first = in.head.firstByte(buf, offset, length);
        if (first == 0x0A) { // field 1, length-delimited: err
            return FAILED;
        }
        int wireType = first & 7;
        boolean laterField =
                first >= 0x10 // field 2 or later (one-byte tag)
                        && first < 0x80
                        && (wireType == 0 || wireType == 1 || wireType == 2 || wireType == 5);
        return laterField ? SUCCEEDED : STATUS_UNKNOWN;
    }

    /**
     * A thread's native zstd context and its buffer for inflated metadata, reused from one
     * transaction to the next (one thread-local lookup per transaction). Every transaction's
     * metadata is its own small frame with its own entropy tables, and table setup dominates:
     * native decoding does it about twice as fast as the pure-Java decoder (docs/BENCHMARKS.md).
     * The decoders copy out what they keep; the buffer grows to the largest frame seen, at most
     * {@link #MAX_META_BYTES}.
     */
    private static final class Inflated {
        final ZstdDecompressCtx zstd;
        byte[] buf;
        int length;
        ZstdHead head; // made on first use: only status-only reads use it

        Inflated(ZstdDecompressCtx zstd, byte[] buf) {
            this.zstd = zstd;
            this.buf = buf;
        }
    }

    private static final ThreadLocal<Inflated> INFLATED =
            ThreadLocal.withInitial(
                    () -> new Inflated(new ZstdDecompressCtx(), new byte[16 << 10]));

    /** Inflates a zstd frame into a new array of its size; {@code what} names it in errors. */
    static byte[] decompress(byte[] buf, int offset, int length, String what) {
        Inflated out = new Inflated(INFLATED.get().zstd, EMPTY);
        inflate(buf, offset, length, what, out);
        return out.buf.length == out.length ? out.buf : Arrays.copyOf(out.buf, out.length);
    }

    private static final byte[] EMPTY = new byte[0];

    /**
     * Inflates a zstd frame into {@code out} (its buffer grown when too small); {@code what} names
     * it in errors.
     */
    private static void inflate(byte[] buf, int offset, int length, String what, Inflated out) {
        try {
            long size = ZstdDecompressor.getDecompressedSize(buf, offset, length);
            if (size > MAX_META_BYTES) {
                throw tooLarge(what);
            }
            if (size >= 0) {
                if (out.buf.length < size) {
                    out.buf =
                            new byte
                                    [(int)
                                            Math.max(
                                                    size,
                                                    Math.min(MAX_META_BYTES, 2L * out.buf.length))];
                }
                int n = out.zstd.decompressByteArray(out.buf, 0, (int) size, buf, offset, length);
                if (n != size) {
                    throw new LakesException(
                            what
                                    + " inflates to "
                                    + n
                                    + " bytes but its zstd header says "
                                    + size
                                    + " (corrupt)");
                }
                out.length = n;
                return;
            }
            // the frame does not say its size (a streaming writer): inflate up to the limit
            try (InputStream in =
                    new ZstdInputStream(new ByteArrayInputStream(buf, offset, length))) {
                byte[] all = in.readNBytes(MAX_META_BYTES + 1);
                if (all.length > MAX_META_BYTES) {
                    throw tooLarge(what);
                }
                out.buf = all.length <= out.buf.length ? copyInto(all, out.buf) : all;
                out.length = all.length;
            }
        } catch (LakesException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? "bad compressed data" : e.getMessage();
            throw new LakesException(what + " is not valid zstd (" + why + ")", e);
        }
    }

    private static byte[] copyInto(byte[] from, byte[] to) {
        System.arraycopy(from, 0, to, 0, from.length);
        return to;
    }

    private static LakesException tooLarge(String what) {
        return new LakesException(what + " inflates past " + MAX_META_BYTES + " bytes");
    }
}
