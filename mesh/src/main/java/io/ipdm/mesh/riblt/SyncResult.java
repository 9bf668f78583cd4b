package io.ipdm.mesh.riblt;

import io.ipdm.mesh.records.PutResult;
import java.util.List;

/**
 * A finished reconciliation with {@code peer}: its figures, the records the store refused, and the
 * bytes this side wrote to and read from the stream (counted by the adapter, as the stream carried
 * them; the session's own {@link SyncStats#bytesSent()} and {@link SyncStats#bytesReceived()} are
 * what it framed). Bytes of the peer's last frames that arrive after this side is done are not
 * counted.
 */
public record SyncResult(
        String peer,
        SyncStats stats,
        List<PutResult> refusals,
        long streamBytesSent,
        long streamBytesReceived) {}
