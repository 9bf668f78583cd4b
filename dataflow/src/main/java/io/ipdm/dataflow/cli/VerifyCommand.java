package io.ipdm.dataflow.cli;

import io.ipdm.connectors.attest.NodeClient;
import io.ipdm.dataflow.trust.TrustFile;
import io.ipdm.dataflow.yaml.YamlException;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.verify.AttestationException;
import io.ipdm.lakes.verify.Quorum;
import io.ipdm.lakes.verify.RootStatus;
import io.ipdm.lakes.verify.RowProof;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ipdm verify ROOT}: fetches the signed attestations of ROOT's windows from a node, checks
 * every signature here and judges them with this machine's trust list and quorum (the node is not
 * trusted for the verdict); with {@code --row}, first checks a Merkle proof of one row from a
 * gateway.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Is a window root verified? Fetches the signed attestations of ROOT's windows from a"
                    + " node, checks every signature here, and counts distinct keys trusted to"
                    + " attest (--trust) that agree on ROOT against --quorum.",
            "With --row JSON, first checks a Merkle inclusion proof of that row in ROOT (from the"
                    + " node's gateway or --gateway).",
            "Exit codes: 0 verified, 1 node unreachable, 2 bad input, 3 disputed, 4 pending,"
                    + " 5 the row is not proven in ROOT."
        })
final class VerifyCommand implements Callable<Integer> {
    static final int DISPUTED = 3;
    static final int PENDING = 4;
    static final int ROW_NOT_PROVEN = 5;

    @Parameters(paramLabel = "ROOT", description = "Window root CID.")
    String root;

    @Option(
            names = "--row",
            paramLabel = "JSON",
            description = "A row as a JSON object of the window's fields to prove in ROOT.")
    String row;

    @Mixin NodeOption node;

    @Option(
            names = "--gateway",
            paramLabel = "URL",
            description = "Gateway serving row proofs (default: the node's gateway).")
    URI gateway;

    @Option(
            names = "--trust",
            paramLabel = "FILE",
            description =
                    "keys.yaml: only keys with the attest role count (default: every key counts,"
                            + " and the output says so).")
    Path trust;

    @Option(
            names = "--quorum",
            paramLabel = "N",
            defaultValue = "2",
            description = "Agreeing distinct keys needed (default: ${DEFAULT-VALUE}).")
    int quorum;

    @Option(names = "--json", description = "Print the verdict as JSON.")
    boolean json;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = NodeCommand.DurationConverter.class,
            description = "HTTP timeout (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin CommonOptions common;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(PrintWriter out, PrintWriter err) {
        Cid cid;
        try {
            cid = Cid.parse(root);
        } catch (MultiformatException e) {
            err.println("ipdm verify: '" + root + "' is not a CID: " + e.getMessage());
            return IpdmCli.BAD_INPUT;
        }
        if (quorum < 1) {
            err.println("ipdm verify: --quorum must be at least 1, got " + quorum);
            return IpdmCli.BAD_INPUT;
        }
        if (gateway != null && row == null) {
            err.println(
                    "ipdm verify: --gateway serves the row proof of --row; add --row JSON or drop"
                            + " --gateway");
            return IpdmCli.BAD_INPUT;
        }
        Predicate<PeerId> authorized;
        String trustNote = null;
        try {
            if (trust != null) {
                TrustList list = TrustFile.read(trust);
                authorized = p -> list.trusts(p, TrustList.ATTEST);
            } else {
                authorized = p -> true;
                trustNote =
                        "note: no --trust file, so every key's attestation counts; pass --trust"
                                + " keys.yaml to count only keys you trust";
            }
        } catch (YamlException | IllegalArgumentException e) {
            err.println("ipdm verify: " + e.getMessage());
            return IpdmCli.BAD_INPUT;
        }
        NodeClient client;
        try {
            client = NodeClient.locate(node.node, timeout);
        } catch (IllegalArgumentException e) {
            err.println("ipdm verify: " + e.getMessage());
            return IpdmCli.BAD_INPUT;
        }
        String proved = null;
        if (row != null) {
            Map<String, Object> values;
            try {
                values = RowProof.parseRow(row);
            } catch (AttestationException e) {
                err.println("ipdm verify: --row: " + e.getMessage());
                return IpdmCli.BAD_INPUT;
            }
            URI gw = gateway != null ? gateway : client.gateway();
            if (gw == null) {
                err.println(
                        "ipdm verify: --row needs a gateway: the node has none; pass --gateway URL");
                return IpdmCli.BAD_INPUT;
            }
            try {
                RowProof p = new RowProof(cid, blocks(client.proof(gw, cid, row)));
                RowProof.Found f = p.check(values);
                proved =
                        "row proven in "
                                + cid
                                + ": chunk "
                                + p.blocks().get(1).cid()
                                + " (chunk "
                                + f.chunk()
                                + ", row "
                                + f.index()
                                + "), both blocks checked against their CIDs here";
            } catch (LakesException | IOException e) {
                err.println("ipdm verify: row NOT proven in " + cid + ": " + e.getMessage());
                return ROW_NOT_PROVEN;
            }
        }
        RootStatus status;
        try {
            status =
                    RootStatus.judge(cid, client.attestations(cid), authorized, new Quorum(quorum));
        } catch (IOException e) {
            err.println("ipdm verify: " + e.getMessage());
            return IpdmCli.JOB_FAILED;
        }
        if (json) {
            out.println(status.toJson());
        } else {
            if (proved != null) {
                out.println(proved);
            }
            out.print(status.toText());
            if (trustNote != null && !common.quiet) {
                out.println(trustNote);
            }
        }
        return switch (status.state()) {
            case VERIFIED -> IpdmCli.OK;
            case DISPUTED -> DISPUTED;
            case PENDING -> PENDING;
        };
    }

    private static List<Block> blocks(byte[] car) throws IOException {
        List<Block> out = new ArrayList<>();
        try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                out.add(s.block());
            }
        }
        return out;
    }
}
