package io.ipdm.connectors.lakes.faithful;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtobufException;

/**
 * The data of an Old Faithful Rewards node (kind 5): the block's rewards as a zstd-compressed
 * protobuf {@code Rewards} message ({@code repeated Reward rewards = 1}), decoded into getBlock's
 * {@code rewards} array. An empty frame means no rewards.
 */
public final class OldBlockRewards {
    private OldBlockRewards() {}

    public static ArrayNode decode(byte[] frame, long slot) {
        ArrayNode out = OldMetaJson.F.arrayNode();
        if (frame.length == 0) {
            return out;
        }
        byte[] raw = OldTransactionMeta.decompress(frame, slot);
        try {
            ProtoReader r = new ProtoReader(raw, "Rewards");
            while (r.next()) {
                if (r.field() == 1) {
                    out.add(OldProtoMeta.reward(r.bytes()));
                } else {
                    r.skip();
                }
            }
        } catch (ProtobufException e) {
            throw new LakesException(
                    "slot "
                            + slot
                            + ": block rewards are not a protobuf Rewards: "
                            + e.getMessage(),
                    e);
        }
        return out;
    }
}
