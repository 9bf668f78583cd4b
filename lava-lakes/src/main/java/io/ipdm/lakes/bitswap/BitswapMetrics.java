package io.ipdm.lakes.bitswap;

import io.ipdm.mesh.metrics.MetricRegistry;
import java.util.List;
import java.util.function.Supplier;

/** A Bitswap engine's wants, blocks and bans as {@code ipdm_node_bitswap_*} metrics. */
public final class BitswapMetrics {
    private BitswapMetrics() {}

    private record Snapshot(
            Bitswap.Totals totals, int wants, long peerWants, int peers, int banned) {}

    public static void register(MetricRegistry r, BitswapNetwork network) {
        Supplier<Snapshot> s =
                r.perScrape(
                        () ->
                                network.call(
                                                b -> {
                                                    List<Bitswap.PeerStats> peers = b.peers();
                                                    long theirs = 0;
                                                    for (Bitswap.PeerStats p : peers) {
                                                        theirs += p.theirWants();
                                                    }
                                                    return new Snapshot(
                                                            b.totals(),
                                                            b.wantlist().size(),
                                                            theirs,
                                                            peers.size(),
                                                            b.bannedPeers());
                                                })
                                        .join());
        r.gauge(
                "ipdm_node_bitswap_wants",
                "Blocks this node is fetching now (its wantlist).",
                () -> s.get().wants());
        r.gauge(
                "ipdm_node_bitswap_peer_wants",
                "Wants of connected peers this node holds in their ledgers.",
                () -> s.get().peerWants());
        r.gauge("ipdm_node_bitswap_peers", "Peers speaking Bitswap.", () -> s.get().peers());
        r.counter(
                "ipdm_node_bitswap_blocks_sent_total",
                "Blocks sent to peers.",
                () -> s.get().totals().blocksSent());
        r.counter(
                "ipdm_node_bitswap_bytes_sent_total",
                "Bytes of the blocks sent to peers.",
                () -> s.get().totals().bytesSent());
        r.counter(
                "ipdm_node_bitswap_blocks_received_total",
                "Wanted blocks received from peers (checked against their CID).",
                () -> s.get().totals().blocksReceived());
        r.counter(
                "ipdm_node_bitswap_bytes_received_total",
                "Bytes of the blocks received.",
                () -> s.get().totals().bytesReceived());
        r.counter(
                "ipdm_node_bitswap_messages_sent_total",
                "Messages sent to peers (want-lists, blocks and presences; one per batch and peer).",
                () -> s.get().totals().messagesSent());
        r.counter(
                "ipdm_node_bitswap_want_blocks_sent_total",
                "Want-block entries sent: blocks asked of a peer.",
                () -> s.get().totals().wantBlocksSent());
        r.counter(
                "ipdm_node_bitswap_want_haves_sent_total",
                "Want-have entries sent: peers asked whether they hold a block.",
                () -> s.get().totals().wantHavesSent());
        r.counter(
                "ipdm_node_bitswap_refused_wants_total",
                "Wants refused because the peer's ledger was full.",
                () -> s.get().totals().refused());
        r.counter(
                "ipdm_node_bitswap_bans_total",
                "Peers banned (malformed messages, unasked or wrong blocks, flooding).",
                () -> s.get().totals().bans());
        r.gauge("ipdm_node_bitswap_banned_peers", "Peers banned now.", () -> s.get().banned());
    }
}
