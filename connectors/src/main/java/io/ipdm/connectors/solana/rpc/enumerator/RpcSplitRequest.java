package io.ipdm.connectors.solana.rpc.enumerator;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * An {@link io.ipdm.connectors.solana.rpc.reader.RpcReader}'s request for the split, sent as a
 * source event instead of Flink's split request so that the enumerator knows the request comes from
 * an RPC reader.
 *
 * <p>Why: in a {@link org.apache.flink.connector.base.source.hybrid.HybridSource} (archive, then
 * live) every split request goes to the current enumerator, whatever source the asking reader is
 * on. A reader restarted after the switch from a checkpoint taken before it is back on the archive
 * and asks for an archive split; given the RPC split it fails with Flink's "Split
 * HybridSourceSplit{sourceIndex=1, splitId=rpc} while current source is 0", on every restart.
 */
public record RpcSplitRequest() implements SourceEvent {
    private static final long serialVersionUID = 1L;
}
