package io.ipdm.dataflow.cli;

import io.ipdm.mesh.node.MeshNodeMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code ipdm node}: a libp2p gossipsub node until Ctrl-C. Options are parsed by {@link
 * MeshNodeMain}, which mesh owns, so the CLI and embedded use agree.
 */
@Command(
        name = "node",
        description =
                "Run a mesh node (TCP + Noise + Yamux + gossipsub v1.2): --listen MULTIADDR,"
                        + " --bootstrap MULTIADDR/p2p/ID, --topic T, --key FILE,"
                        + " --metrics-interval SECONDS, --publish TOPIC=TEXT; --help for details.")
final class NodeCommand implements Callable<Integer> {
    @Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "ipdm-node-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return MeshNodeMain.run(args.toArray(String[]::new), System.out, System.err, stop);
    }
}
