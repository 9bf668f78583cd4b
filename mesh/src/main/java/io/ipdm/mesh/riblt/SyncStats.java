package io.ipdm.mesh.riblt;

/**
 * What a reconciliation session did.
 *
 * @param symbolsSent coded symbols this side sent (initiator)
 * @param symbolsReceived coded symbols this side received (responder)
 * @param symbolsUsed symbols the decoder needed (responder; -1 when it did not decode)
 * @param remoteOnly records only the peer held (as decoded by the responder, or as pushed to the
 *     initiator)
 * @param localOnly records only this side held
 * @param recordsSent signed records sent
 * @param recordsReceived signed records received
 * @param accepted records received that the store accepted
 * @param ignored records received that were duplicates, replays or version conflicts
 * @param bytesSent protocol bytes sent (messages with their length prefixes)
 * @param bytesReceived protocol bytes received
 * @param recordBytesReceived encoded size of the records received
 */
public record SyncStats(
        long symbolsSent,
        long symbolsReceived,
        long symbolsUsed,
        int remoteOnly,
        int localOnly,
        int recordsSent,
        int recordsReceived,
        int accepted,
        int ignored,
        long bytesSent,
        long bytesReceived,
        long recordBytesReceived) {}
