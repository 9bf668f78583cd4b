package io.ipdm.mesh.transport;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.yamux.YamuxHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.netty.channel.Channel;

/**
 * Told when a raw TCP connection has become a secured, multiplexed libp2p connection, or has failed
 * to.
 */
interface UpgradeListener {
    void upgraded(Channel channel, PeerId remote, boolean outbound, YamuxHandler muxer);

    void failed(Channel channel, Throwable cause);

    /** A stream the peer opened; runs on the event loop before any of its data is delivered. */
    void acceptStream(Channel channel, YamuxStream stream);

    /** The peer broke the muxer's rules (protocol error, receive budget); on the event loop. */
    default void misbehaved(PeerId remote, String why) {}
}
