package io.ipdm.connectors.solana.rpc.split;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The single split of the live RPC source: the next slot to emit ({@link #FROM_TIP} until the first
 * getSlot answers) and the exclusive end ({@link #UNBOUNDED} to follow the chain).
 */
public record RpcSplit(long nextSlot, long endSlot) implements SourceSplit {
    public static final long FROM_TIP = -1;
    public static final long UNBOUNDED = -1;

    @Override
    public String splitId() {
        return "rpc";
    }

    public boolean bounded() {
        return endSlot != UNBOUNDED;
    }

    public RpcSplit withNext(long n) {
        return new RpcSplit(n, endSlot);
    }
}
