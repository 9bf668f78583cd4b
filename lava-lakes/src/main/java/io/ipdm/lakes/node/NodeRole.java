package io.ipdm.lakes.node;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What an {@code ipdm node} does besides being a mesh peer. */
public enum NodeRole {
    /** Bitswap server, DHT server, announces what it stores. */
    STORAGE,
    /** The trustless HTTP gateway, reading the lake and then the network. */
    GATEWAY,
    /** Serves its read path (lake, then network) to pipeline jobs over the gateway protocol. */
    PROCESSING,
    /** Re-runs attested jobs from their definitions and attests its own roots. */
    VERIFIER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Roles from {@code storage,gateway}; an unknown one is an error naming the allowed roles. */
    public static Set<NodeRole> parse(String list) {
        Set<NodeRole> out = EnumSet.noneOf(NodeRole.class);
        for (String r : list.split(",")) {
            String t = r.trim().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                continue;
            }
            NodeRole role =
                    Arrays.stream(values()).filter(v -> v.id().equals(t)).findFirst().orElse(null);
            if (role == null) {
                throw new IllegalArgumentException(
                        "unknown role '"
                                + r.trim()
                                + "'; roles: "
                                + Arrays.stream(values())
                                        .map(NodeRole::id)
                                        .collect(Collectors.joining(", ")));
            }
            out.add(role);
        }
        return out;
    }
}
