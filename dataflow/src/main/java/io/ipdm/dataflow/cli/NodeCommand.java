package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.trust.TrustFile;
import io.ipdm.dataflow.validate.InputFiles;
import io.ipdm.dataflow.verify.Verifier;
import io.ipdm.dataflow.yaml.YNode;
import io.ipdm.dataflow.yaml.YamlException;
import io.ipdm.dataflow.yaml.YamlReader;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.network.DelegatedRouting;
import io.ipdm.lakes.node.IpfsNetwork;
import io.ipdm.lakes.node.LakeNode;
import io.ipdm.lakes.node.NodeConfig;
import io.ipdm.lakes.node.NodeDurability;
import io.ipdm.lakes.node.NodeRole;
import io.ipdm.lakes.node.NodeStatus;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.lakes.verify.AttestationPolicy;
import io.ipdm.mesh.identity.TrustList;
import io.ipdm.mesh.metrics.MetricsEndpoint;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.Domains;
import io.ipdm.wasm.ModuleStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ipdm node}: one daemon with roles (storage, gateway, processing) over a lake directory,
 * until SIGTERM or Ctrl-C; {@code ipdm node status} asks a running one. Flags and the keys of
 * {@code --config FILE} are the same names; a flag given on the command line wins.
 */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        subcommands = {NodeStatusCommand.class},
        description = {
            "Run an IPDM node until SIGTERM/Ctrl-C: a libp2p peer (TCP, Noise, Yamux, identify,"
                    + " ping, gossipsub v1.2, Kademlia DHT, Bitswap) over a lake directory, with"
                    + " roles:",
            "  storage     serve blocks over Bitswap, answer the DHT (server mode), announce what"
                    + " the lake holds (--provide)",
            "  gateway     IPFS trustless HTTP gateway (--gateway-port) reading the lake, then the"
                    + " network (DHT -> providers -> Bitswap), and delegated routing"
                    + " (/routing/v1/providers|peers|ipns) for Helia and Kubo",
            "  processing  the same read path on the gateway port for pipeline jobs on this"
                    + " machine, and their attestations (ipdm run --attest --node DIR); jobs are"
                    + " not scheduled by the node yet",
            "  verifier    re-runs jobs others attest (definition and modules fetched by CID) and"
                    + " attests its own roots with the node key",
            "Every node keeps the attestations it sees (gossipsub ipdm/attestations/1) and judges"
                    + " them with --trust and --quorum (ipdm verify asks it).",
            "The identity key (node.key) and, while running, the admin address (node.json) live in"
                    + " the lake directory. `ipdm node status` shows peers, routing table, blocks,"
                    + " wants and provider records."
        })
final class NodeCommand implements Callable<Integer> {
    @Option(
            names = "--role",
            paramLabel = "ROLE",
            split = ",",
            defaultValue = "storage,gateway",
            converter = RoleConverter.class,
            description = "storage, gateway, processing, verifier (default: ${DEFAULT-VALUE}).")
    Set<NodeRole> roles;

    @Option(
            names = "--lake",
            paramLabel = "DIR",
            defaultValue = "${env:IPDM_LAKE_DIR:-.ipdm/lake}",
            description = "Lake directory (default: $IPDM_LAKE_DIR or .ipdm/lake).")
    Path lake;

    @Option(
            names = "--listen",
            paramLabel = "MULTIADDR",
            converter = MultiaddrConverter.class,
            description =
                    "libp2p TCP (/ip4/H/tcp/N) or WebSocket (/ip4/H/tcp/N/ws) address, repeatable"
                            + " (default: /ip4/0.0.0.0/tcp/4001).")
    List<Multiaddr> listen = new ArrayList<>();

    @Option(
            names = "--bootstrap",
            paramLabel = "MULTIADDR/p2p/ID",
            converter = MultiaddrConverter.class,
            description = "Peer dialed at start and asked for blocks; repeatable.")
    List<Multiaddr> bootstrap = new ArrayList<>();

    @Option(
            names = "--routing",
            paramLabel = "URL",
            converter = RouterConverter.class,
            description =
                    "Delegated routing server (Routing V1 HTTP API: another node's gateway"
                            + " http://HOST:PORT, Kubo, someguy) asked for block providers besides"
                            + " the DHT; repeatable.")
    List<URI> routers = new ArrayList<>();

    @Option(
            names = "--gateway-host",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Gateway bind address (default: ${DEFAULT-VALUE}).")
    String gatewayHost;

    @Option(
            names = "--gateway-port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "Gateway port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int gatewayPort;

    @Option(
            names = "--admin-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description =
                    "Status endpoint port on 127.0.0.1, 0 for any free one (recorded in"
                            + " DIR/node.json; default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(
            names = "--provide",
            paramLabel = "roots|all",
            defaultValue = "roots",
            description =
                    "What a storage node announces in the DHT: roots (pinned roots) or all (every"
                            + " block) (default: ${DEFAULT-VALUE}).")
    String provide;

    @Option(
            names = "--read-timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description =
                    "Deadline for one block read from the network, e.g. 30s, 500ms, PT1M"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration readTimeout;

    @Option(
            names = "--ipns-republish",
            paramLabel = "DURATION",
            defaultValue = "4h",
            converter = DurationConverter.class,
            description =
                    "How often the node republishes its IPNS record (sequence + 1); at most half"
                            + " the record's lifetime (default: ${DEFAULT-VALUE}).")
    Duration ipnsRepublish;

    @Option(
            names = "--routing-limit",
            paramLabel = "KEY=VALUE",
            description =
                    "Gateway role, delegated routing API: json-results (100), stream-results"
                            + " (1000), lookup-timeout (10s), concurrent-lookups (4); repeatable"
                            + " (a map in the config file).")
    Map<String, String> routingLimit = new LinkedHashMap<>();

    @Option(
            names = "--storage",
            paramLabel = "KEY=VALUE",
            description = "Lake setting, as `ipdm lake --config` (see docs/lava-lakes.md).")
    Map<String, String> storage = new LinkedHashMap<>();

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description = "Gossipsub topic to join and print messages of; repeatable.")
    List<String> topics = new ArrayList<>();

    @Option(
            names = "--publish",
            paramLabel = "TOPIC=TEXT",
            description = "Publish TEXT on TOPIC once started; repeatable.")
    List<String> publish = new ArrayList<>();

    @Option(
            names = "--repair-interval",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description =
                    "Storage role: how often the node recomputes which roots it is responsible for"
                            + " and repairs (fetch, activate reserves, hand off); a crashed"
                            + " holder is replaced within about this long (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration repairInterval;

    @Option(
            names = "--challenge-interval",
            paramLabel = "DURATION",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description =
                    "Storage role: how often, on average, each fellow holder of a root gets an"
                            + " integrity challenge (default: ${DEFAULT-VALUE}).")
    Duration challengeInterval;

    @Option(
            names = "--gc-grace",
            paramLabel = "DURATION",
            defaultValue = "10m",
            converter = ZeroOrMoreDurationConverter.class,
            description =
                    "Storage role: how long a root no subscription needs any more is kept before"
                            + " its blocks are deleted (default: ${DEFAULT-VALUE}).")
    Duration gcGrace;

    @Option(
            names = "--trust",
            paramLabel = "FILE",
            description =
                    "keys.yaml of trusted keys and what each may do (subscribe: author"
                            + " replication subscriptions this storage node accepts; attest;"
                            + " publish[:topic]); it also decides which signed records the node"
                            + " stores (subscriptions from subscribe keys, attestations from"
                            + " attest keys). Read at start: restart the node to apply a changed"
                            + " file. See docs/node.md. Without it nobody is trusted.")
    Path trust;

    @Option(
            names = "--domain",
            paramLabel = "NAME",
            description =
                    "Advertise this node as a member of domain NAME (a signed record), so peers"
                            + " can anycast to it; repeatable. A storage node's first domain is its"
                            + " storage domain: subscriptions by domain place replicas on its members"
                            + " (none: the default domain).")
    List<String> domains = new ArrayList<>();

    @Option(
            names = "--metrics-interval",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "How often -v prints a status line (default: ${DEFAULT-VALUE}).")
    long metricsInterval;

    @Option(
            names = "--quorum",
            paramLabel = "N",
            defaultValue = "2",
            description =
                    "Agreeing attestations from distinct keys that verify a root (default:"
                            + " ${DEFAULT-VALUE}).")
    int quorum;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description =
                    "Serve the node's metrics for Prometheus on this port (http://HOST:PORT/metrics,"
                            + " 0 for any free one; docs/metrics.md lists the names).")
    Integer metricsPort;

    @Option(
            names = "--metrics-host",
            paramLabel = "HOST",
            defaultValue = "0.0.0.0",
            description = "Address the metrics endpoint binds (default: ${DEFAULT-VALUE}).")
    String metricsHost;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "YAML file whose keys are these options' names without `--` (lists for"
                            + " repeatable ones, a map for storage); flags override it.")
    Path config;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    /** Stops a running node (tests count it down; the CLI's shutdown hook does too). */
    CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NodeCommand eff;
        NodeConfig cfg;
        AttestationPolicy policy;
        try {
            eff = config == null ? this : withConfigFile();
            cfg = eff.nodeConfig();
            policy = eff.attestationPolicy(cfg);
        } catch (YamlException | IllegalArgumentException | LakesException e) {
            err.println("ipdm node: " + e.getMessage());
            err.flush();
            return IpdmCli.BAD_INPUT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM: stop the node and let the JVM exit only once it has closed (lake synced,
        // node.json removed), within a bound
        Thread hook =
                new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                stopped.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "ipdm-node-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (LakeNode node = LakeNode.start(cfg, IpfsNetwork::install, policy);
                Verifier verifier = cfg.has(NodeRole.VERIFIER) ? verifier(node, cfg) : null;
                MetricsEndpoint metrics =
                        eff.metricsPort == null
                                ? null
                                : MetricsEndpoint.start(
                                        node.metrics(), eff.metricsHost, eff.metricsPort)) {
            node.attestations()
                    .onDissent(
                            d -> {
                                err.println(
                                        "ipdm node: "
                                                + d
                                                + " attested a root the verified majority"
                                                + " disagrees with");
                                err.flush();
                            });
            if (!common.quiet) {
                out.println("peer id   " + node.mesh().peerId());
                for (Multiaddr a : node.mesh().addresses()) {
                    out.println("listening " + a);
                }
                if (node.gateway() != null) {
                    out.println("gateway   " + node.gateway().baseUri());
                }
                out.println("status    " + node.adminUri() + "/status (ipdm node status)");
                if (metrics != null) {
                    out.println("metrics   " + metrics.url() + " (Prometheus)");
                }
                out.println(
                        "records   "
                                + node.records().store().size()
                                + " signed records ("
                                + node.records().store().file()
                                + "), "
                                + cfg.trust().size()
                                + " trusted keys");
                out.println(
                        "roles     "
                                + String.join(
                                        ",", cfg.roles().stream().map(NodeRole::id).toList()));
                out.flush();
            }
            for (String t : cfg.topics()) {
                node.mesh()
                        .subscribe(
                                t,
                                (m, from) -> {
                                    out.println(
                                            "message on "
                                                    + m.topic()
                                                    + " from "
                                                    + m.author()
                                                    + ": "
                                                    + new String(m.data(), StandardCharsets.UTF_8));
                                    out.flush();
                                });
            }
            for (String p : eff.publish) {
                int eq = p.indexOf('=');
                String topic = p.substring(0, eq);
                // not publish(): the bootstrap connection and the peers' subscriptions are not
                // up yet, and a message published to nobody is never repaired by gossip
                node.mesh()
                        .publishWhenSubscribed(
                                topic, p.substring(eq + 1).getBytes(StandardCharsets.UTF_8))
                        .whenComplete(
                                (id, e) -> {
                                    if (e != null) {
                                        err.println(
                                                "ipdm node: publishing on "
                                                        + topic
                                                        + " failed: "
                                                        + e);
                                        err.flush();
                                    } else if (!common.quiet) {
                                        out.println("published on " + topic + ": " + id);
                                        out.flush();
                                    }
                                });
                if (!common.quiet) {
                    out.println(
                            "publishing on "
                                    + topic
                                    + " once a peer subscribed to it is connected");
                    out.flush();
                }
            }
            while (!stop.await(Math.max(1, eff.metricsInterval), TimeUnit.SECONDS)) {
                if (common.verbose) {
                    err.println(statusLine(node.status()) + " " + node.mesh().metrics().toLine());
                    err.flush();
                }
            }
            if (!common.quiet) {
                err.println("ipdm node: stopping");
                err.flush();
            }
        } catch (IOException | UncheckedIOException | LakesException e) {
            err.println("ipdm node: " + e.getMessage());
            err.flush();
            return IpdmCli.JOB_FAILED;
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of the signal that stopped the node
            }
        }
        return IpdmCli.OK;
    }

    /** The verifier role, hooked to the node's attestations; re-runs keep state under the lake. */
    static Verifier verifier(LakeNode node, NodeConfig cfg) {
        return new Verifier(
                        node.attestations(),
                        node.reads().orNull(),
                        node.adminUri(),
                        cfg.keyFile().toAbsolutePath(),
                        node.mesh().peerId(),
                        cfg.lake().resolve("verifier").toAbsolutePath(),
                        ModuleStore.configured())
                .start();
    }

    /** Only keys --trust lets attest count and may attest; every key without --trust. */
    AttestationPolicy attestationPolicy(NodeConfig cfg) {
        if (quorum < 1) {
            throw new IllegalArgumentException("--quorum must be at least 1, got " + quorum);
        }
        return AttestationPolicy.of(cfg.trust(), quorum);
    }

    static String statusLine(NodeStatus s) {
        return "peers="
                + s.peers().size()
                + " routing_table="
                + s.routingTableSize()
                + " blocks="
                + s.blocks()
                + " bytes="
                + s.bytes()
                + " wants="
                + s.pendingWants()
                + " provider_records="
                + s.providerRecords()
                + " network_reads="
                + s.networkReads();
    }

    NodeConfig nodeConfig() {
        refuseIgnoredOptions();
        NodeConfig.Provide p =
                switch (provide) {
                    case "roots" -> NodeConfig.Provide.ROOTS;
                    case "all" -> NodeConfig.Provide.ALL;
                    default ->
                            throw new IllegalArgumentException(
                                    "--provide must be roots or all, got '" + provide + "'");
                };
        for (String d : domains) {
            String bad = Domains.checkName(d);
            if (bad != null) {
                throw new IllegalArgumentException("--domain: " + bad);
            }
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw new IllegalArgumentException(
                    "--metrics-port: expected 0-65535, got " + metricsPort);
        }
        for (String problem :
                java.util.Arrays.asList(
                        BindAddress.portProblem("--gateway-port", gatewayPort),
                        BindAddress.portProblem("--admin-port", adminPort),
                        roles.contains(NodeRole.GATEWAY) || roles.contains(NodeRole.PROCESSING)
                                ? BindAddress.hostProblem("--gateway-host", gatewayHost)
                                : null)) {
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        for (String pub : publish) {
            if (pub.indexOf('=') <= 0) {
                throw new IllegalArgumentException("--publish wants TOPIC=TEXT, got " + pub);
            }
        }
        List<Multiaddr> l =
                listen.isEmpty() ? List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/4001")) : listen;
        for (Multiaddr a :
                java.util.stream.Stream.concat(l.stream(), bootstrap.stream()).toList()) {
            io.ipdm.mesh.transport.Host.checkTransport(a); // /wss is refused here, exit 2
        }
        return NodeConfig.builder(roles, lake)
                .listen(l)
                .bootstrap(bootstrap)
                .gateway(gatewayHost, gatewayPort)
                .adminPort(adminPort)
                .provide(p)
                .readTimeout(readTimeout)
                .ipnsRepublish(ipnsRepublish)
                .routers(routers)
                .routingLimits(io.ipdm.lakes.gateway.RoutingV1.Limits.fromMap(routingLimit))
                .topics(topics)
                .storage(StorageConfig.fromMap(storage))
                .trust(trust == null ? TrustList.EMPTY : TrustFile.read(trust))
                .domains(domains)
                .durability(
                        new NodeDurability(
                                repairInterval,
                                challengeInterval,
                                gcGrace,
                                domains.isEmpty() ? "" : domains.get(0)))
                .build();
    }

    /**
     * Options (flags or config keys) that would do nothing with these roles or without the option
     * they qualify are refused, naming what to add or drop.
     */
    private void refuseIgnoredOptions() {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (given == null) {
            return;
        }
        if (!roles.contains(NodeRole.STORAGE)) {
            for (String o :
                    List.of(
                            "--provide",
                            "--repair-interval",
                            "--challenge-interval",
                            "--gc-grace")) {
                if (given.hasMatchedOption(o)) {
                    throw new IllegalArgumentException(
                            o + " only applies to the storage role; add --role storage or drop it");
                }
            }
        }
        if (!roles.contains(NodeRole.GATEWAY) && !roles.contains(NodeRole.PROCESSING)) {
            for (String o : List.of("--gateway-host", "--gateway-port")) {
                if (given.hasMatchedOption(o)) {
                    throw new IllegalArgumentException(
                            o
                                    + " only applies to the gateway and processing roles (the"
                                    + " node serves no HTTP otherwise); add one with --role or"
                                    + " drop it");
                }
            }
        }
        if (!roles.contains(NodeRole.GATEWAY) && given.hasMatchedOption("--routing-limit")) {
            throw new IllegalArgumentException(
                    "--routing-limit only applies to the gateway role (it serves the delegated"
                            + " routing API); add --role gateway or drop it");
        }
        if (metricsPort == null && given.hasMatchedOption("--metrics-host")) {
            throw new IllegalArgumentException(
                    "--metrics-host binds the metrics endpoint; add --metrics-port PORT or drop it");
        }
        if (!common.verbose && given.hasMatchedOption("--metrics-interval")) {
            throw new IllegalArgumentException(
                    "--metrics-interval sets how often -v prints a status line; add -v or drop it");
        }
    }

    /**
     * This command with the config file's keys applied where no flag was given: the file becomes
     * arguments, parsed by picocli like flags (same conversions and checks), each key checked on
     * its own first so an error names the file, line and column.
     */
    NodeCommand withConfigFile() {
        String text;
        try {
            text = Files.readString(config);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such config file: " + config);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the config file " + config + ": " + InputFiles.reason(config, e));
        }
        YNode root = YamlReader.read(text, config.toString());
        if (!(root instanceof YNode.YMap map)) {
            throw new YamlException(
                    root.location(), "a node config is a map of option names to values");
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        List<String> args = new ArrayList<>();
        for (YNode.Entry e : map.entries().values()) {
            OptionSpec opt = spec.findOption("--" + e.key());
            if (opt == null
                    || e.key().equals("config")
                    || opt.usageHelp()
                    || opt.versionHelp()
                    || e.key().equals("quiet")
                    || e.key().equals("verbose")) {
                throw new YamlException(
                        e.keyLocation(),
                        "unknown key '" + e.key() + "'; keys: " + String.join(", ", keys()));
            }
            if (given.hasMatchedOption(opt)) {
                continue;
            }
            List<String> own = new ArrayList<>();
            for (String v : values(e)) {
                own.add("--" + e.key());
                own.add(v);
            }
            try {
                new CommandLine(new NodeCommand()).parseArgs(own.toArray(String[]::new));
            } catch (CommandLine.ParameterException pe) {
                throw new YamlException(e.value().location(), e.key() + ": " + pe.getMessage());
            }
            args.addAll(own);
        }
        for (OptionSpec o : given.matchedOptions()) {
            if (o.arity().max() == 0) {
                args.add(o.longestName());
            } else {
                for (String v : o.originalStringValues()) {
                    args.add(o.longestName());
                    args.add(v);
                }
            }
        }
        NodeCommand eff = new NodeCommand();
        try {
            new CommandLine(eff).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException pe) {
            throw new IllegalArgumentException(config + ": " + pe.getMessage());
        }
        return eff;
    }

    private List<String> keys() {
        Set<String> out = new TreeSet<>();
        for (OptionSpec o : spec.options()) {
            String n = o.longestName();
            if (n.startsWith("--") && !o.usageHelp() && !o.versionHelp()) {
                out.add(n.substring(2));
            }
        }
        out.removeAll(List.of("config", "quiet", "verbose"));
        return new ArrayList<>(out);
    }

    private static List<String> values(YNode.Entry e) {
        List<String> out = new ArrayList<>();
        switch (e.value()) {
            case YNode.YScalar s -> out.add(s.text());
            case YNode.YList l -> {
                for (YNode item : l.items()) {
                    if (!(item instanceof YNode.YScalar s)) {
                        throw new YamlException(
                                item.location(),
                                e.key() + ": list items must be values, got " + item.describe());
                    }
                    out.add(s.text());
                }
            }
            case YNode.YMap m -> {
                for (YNode.Entry kv : m.entries().values()) {
                    if (!(kv.value() instanceof YNode.YScalar s)) {
                        throw new YamlException(
                                kv.value().location(),
                                e.key() + "." + kv.key() + ": must be a value");
                    }
                    out.add(kv.key() + "=" + s.text());
                }
            }
        }
        return out;
    }

    static final class MultiaddrConverter implements CommandLine.ITypeConverter<Multiaddr> {
        @Override
        public Multiaddr convert(String value) {
            try {
                return Multiaddr.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a multiaddr: " + e.getMessage());
            }
        }
    }

    static final class RouterConverter implements CommandLine.ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                return DelegatedRouting.parseUrl(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class RoleConverter implements CommandLine.ITypeConverter<NodeRole> {
        @Override
        public NodeRole convert(String value) {
            try {
                Set<NodeRole> one = NodeRole.parse(value);
                if (one.size() != 1) {
                    throw new IllegalArgumentException("'" + value + "' is not one role");
                }
                return one.iterator().next();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * A duration option that must be positive (timeouts, intervals, lifetimes): zero or negative is
     * refused here, at parse time, naming the value and what to give, for every such option alike.
     */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = parseDuration(value);
            if (d.isZero() || d.isNegative()) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a positive duration: give one like 30s, 2m or 1h");
            }
            return d;
        }
    }

    /** A duration option where zero means "at once" ({@code --gc-grace}); negative is refused. */
    static final class ZeroOrMoreDurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = parseDuration(value);
            if (d.isNegative()) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is negative: give 0s or a duration like 10m or 1h");
            }
            return d;
        }
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
    static Duration parseDuration(String value) {
        String v = value.trim();
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration: give one like 30s, 500ms, 2m, 1h or PT1M");
        }
    }
}
