package io.ipdm.connectors.lakes.faithful;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pending-node table finds a node by the bytes of a link that lies in another buffer, tells
 * apart CIDs that share their last bytes, keeps the last node of a CID put twice, grows, and
 * forgets everything on {@link PendingNodes#clear}.
 */
class PendingNodesTest {
    private static Cid cid(int i) {
        return Cid.v1(
                Multicodec.DAG_CBOR,
                Multihash.sha2_256(("node " + i).getBytes(StandardCharsets.UTF_8)));
    }

    /** A node whose CID lies in place in a section-like buffer: 7 bytes of padding, CID, data. */
    private static FaithfulBlockDecoder.Node inPlace(Cid cid, byte[] data) {
        byte[] c = cid.toBytes();
        byte[] buf = new byte[7 + c.length + data.length];
        System.arraycopy(c, 0, buf, 7, c.length);
        System.arraycopy(data, 0, buf, 7 + c.length, data.length);
        return new FaithfulBlockDecoder.Node(buf, 7, 7 + c.length, data.length, 100);
    }

    /** The link bytes of {@code cid} inside a larger buffer, as a node's link lies. */
    private static FaithfulBlockDecoder.Node find(PendingNodes t, Cid cid) {
        byte[] c = cid.toBytes();
        byte[] buf = new byte[3 + c.length + 5];
        System.arraycopy(c, 0, buf, 3, c.length);
        return t.get(buf, 3, c.length);
    }

    @Test
    void findsNodesByLinkBytesAcrossGrowthAndClear() {
        PendingNodes t = new PendingNodes();
        List<FaithfulBlockDecoder.Node> nodes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) { // past the first table's 1024 slots, several times
            FaithfulBlockDecoder.Node n = inPlace(cid(i), new byte[] {(byte) i});
            nodes.add(n);
            t.put(n);
        }
        assertThat(t.size()).isEqualTo(5000);
        for (int i = 0; i < 5000; i++) {
            assertThat(find(t, cid(i))).as("node %d", i).isSameAs(nodes.get(i));
            assertThat(find(t, cid(i)).cid()).isEqualTo(cid(i));
        }
        assertThat(find(t, cid(5000))).isNull();
        t.clear();
        assertThat(t.size()).isZero();
        assertThat(find(t, cid(1))).isNull();
    }

    @Test
    void cidsSharingTheirLastBytesAreToldApartAndAReputCidKeepsItsLastNode() {
        PendingNodes t = new PendingNodes();
        Cid a = cid(1);
        // the same digest under another codec: same last 8 bytes, same hash slot, another CID
        Cid b = Cid.v1(Multicodec.RAW, a.multihash());
        // an identity CID shorter than the 8 bytes the hash reads
        Cid tiny = Cid.v1(Multicodec.RAW, Multihash.identity(new byte[0]));
        FaithfulBlockDecoder.Node na = inPlace(a, new byte[] {1});
        FaithfulBlockDecoder.Node nb = new FaithfulBlockDecoder.Node(new byte[] {2}, 0, 1, -1, b);
        FaithfulBlockDecoder.Node nt = inPlace(tiny, new byte[] {3});
        t.put(na);
        t.put(nb);
        t.put(nt);
        assertThat(find(t, a)).isSameAs(na);
        assertThat(find(t, b)).isSameAs(nb);
        assertThat(find(t, tiny)).isSameAs(nt);
        FaithfulBlockDecoder.Node again = inPlace(a, new byte[] {1});
        t.put(again);
        assertThat(t.size()).isEqualTo(3);
        assertThat(find(t, a)).isSameAs(again);
    }
}
