package io.ipdm.connectors.solana.archive.enumerator;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Sent by an {@link io.ipdm.connectors.solana.archive.reader.ArchiveReader} when it has read its
 * last split and was told there are no more: ahead of the end of input that a {@link
 * org.apache.flink.connector.base.source.hybrid.HybridSource} counts as that reader finished with
 * the archive, so the {@link ArchiveEnumerator} knows which readers the hybrid source counts.
 */
public record ArchiveReaderDone() implements SourceEvent {
    private static final long serialVersionUID = 1L;
}
