package io.ipdm.connectors.gossipsub.split;

import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The single split of a gossipsub source: "listen on the topic". It carries the ids of the last
 * messages emitted, so repeats that gossip delivers after a restore are dropped.
 */
public record GossipsubSplit(String topic, List<String> recentIds) implements SourceSplit {
    public GossipsubSplit {
        recentIds = List.copyOf(recentIds);
    }

    @Override
    public String splitId() {
        return "gossipsub:" + topic;
    }
}
