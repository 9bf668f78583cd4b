package io.ipdm.lakes.store;

import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.ipld.DagJson;
import io.ipdm.multiformats.Cid;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a sealed cold archive holds, written next to it as JSON once the archive is durable: its
 * size, block count and piece commitment (the CIDs a Filecoin storage deal is made for).
 */
public record ArchiveManifest(
        String archive,
        long blocks,
        long payloadSize,
        long paddedPieceSize,
        Cid pieceCidV1,
        Cid pieceCidV2) {

    public byte[] toJson() {
        String json =
                "{\"archive\":\""
                        + archive
                        + "\",\"blocks\":"
                        + blocks
                        + ",\"payloadSize\":"
                        + payloadSize
                        + ",\"paddedPieceSize\":"
                        + paddedPieceSize
                        + ",\"pieceCidV1\":\""
                        + pieceCidV1
                        + "\",\"pieceCidV2\":\""
                        + pieceCidV2
                        + "\"}\n";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    public static ArchiveManifest fromJson(byte[] json) {
        try {
            Map<?, ?> m = (Map<?, ?>) DagJson.decode(new String(json, StandardCharsets.UTF_8));
            return new ArchiveManifest(
                    (String) m.get("archive"),
                    (Long) m.get("blocks"),
                    (Long) m.get("payloadSize"),
                    (Long) m.get("paddedPieceSize"),
                    Cid.parse((String) m.get("pieceCidV1")),
                    Cid.parse((String) m.get("pieceCidV2")));
        } catch (RuntimeException e) {
            throw new LakesException("unreadable archive manifest: " + e.getMessage(), e);
        }
    }
}
