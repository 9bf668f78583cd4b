package io.ipdm.dataflow.cli;

import io.ipdm.lakes.cli.LakeCommands;
import io.ipdm.lakes.network.BlockNotFoundException;
import io.ipdm.lakes.node.DelegatedRoutingStack;
import io.ipdm.lakes.node.IpfsNetwork;
import io.ipdm.lakes.node.NetworkReads;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.multiaddr.Protocol;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --network MULTIADDR...} and {@code --routing URL...} of {@code ipdm lake get|export-car}:
 * blocks the lake lacks are fetched from those peers and the providers the DHT reached through them
 * or the delegated routers name, over Bitswap.
 */
final class LakeNetworkOptions {
    @Option(
            names = "--network",
            paramLabel = "MULTIADDR/p2p/ID",
            converter = NodeCommand.MultiaddrConverter.class,
            description =
                    "Read blocks this lake lacks from the network: ask this peer (repeatable) and"
                            + " the DHT providers found through it, over Bitswap; fetched blocks"
                            + " stay in the lake, unpinned.")
    List<Multiaddr> peers = new ArrayList<>();

    @Option(
            names = "--routing",
            paramLabel = "URL",
            converter = NodeCommand.RouterConverter.class,
            description =
                    "Read blocks this lake lacks from the providers this delegated routing server"
                            + " (Routing V1 HTTP API: a node's gateway http://HOST:PORT)"
                            + " names, over Bitswap; repeatable, with or without --network.")
    List<URI> routers = new ArrayList<>();

    @Option(
            names = "--read-timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = NodeCommand.DurationConverter.class,
            description =
                    "With --network: deadline for one block, lookup and transfer (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration readTimeout;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** An attached network read path; closing it detaches and stops the client. */
    interface Attached extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * {@code e} (a block this lake lacks stopped the read) with what to do next when the read did
     * not reach the network: without {@code --network} or {@code --routing} only the lake was
     * asked.
     */
    BlockNotFoundException notHeld(BlockNotFoundException e) {
        return peers.isEmpty() && routers.isEmpty()
                ? new BlockNotFoundException(
                        e.getMessage()
                                + "; read it from a node that holds it with --network"
                                + " MULTIADDR/p2p/ID or --routing URL, or import-car a CAR that has"
                                + " it")
                : e;
    }

    /** Routes the lake's reads through the network while the returned handle is open. */
    Attached attach(LakeCommands lake) {
        if (peers.isEmpty() && routers.isEmpty()) {
            if (mixee.commandLine().getParseResult().hasMatchedOption("--read-timeout")) {
                throw new CommandLine.ParameterException(
                        mixee.commandLine(),
                        "--read-timeout bounds reads from the network; add --network"
                                + " MULTIADDR/p2p/ID or --routing URL, or drop it");
            }
            return () -> {};
        }
        for (Multiaddr peer : peers) {
            // Bitswap and the Noise handshake need the peer's id; without it nothing can be asked.
            if (!peer.has(Protocol.P2P)) {
                throw new CommandLine.ParameterException(
                        mixee.commandLine(),
                        "--network "
                                + peer
                                + " has no /p2p/ID: add the peer's id (`ipdm node status` or its"
                                + " start-up line prints its full address), e.g. "
                                + peer
                                + "/p2p/12D3KooW...");
            }
        }
        NetworkReads reads =
                NetworkReads.client(
                        lake.store(),
                        lake.config(),
                        peers,
                        readTimeout,
                        DelegatedRoutingStack.over(IpfsNetwork::install, routers));
        lake.readThrough(reads);
        return () -> {
            lake.readThrough(null);
            reads.close();
        };
    }
}
