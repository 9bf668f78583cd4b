package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderStoreTest {
    private static final List<Multiaddr> ADDR = List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1"));

    @Test
    void boundsKeysAndProvidersPerKeyAndExpires() {
        ProviderStore store = new ProviderStore(2, 2);
        PeerId a = Ed25519KeyPair.generate().peerId();
        PeerId b = Ed25519KeyPair.generate().peerId();
        PeerId c = Ed25519KeyPair.generate().peerId();
        byte[] k1 = {1};
        byte[] k2 = {2};
        assertThat(store.add(k1, a, ADDR, 100)).isTrue();
        assertThat(store.add(k1, b, ADDR, 200)).isTrue();
        // A third provider of a full key replaces the oldest record.
        assertThat(store.add(k1, c, ADDR, 300)).isTrue();
        assertThat(store.get(k1, 0)).extracting(ProviderRecord::provider).containsExactly(b, c);
        // Renewing moves a record to the newest place and does not count twice.
        assertThat(store.add(k1, b, ADDR, 400)).isTrue();
        assertThat(store.get(k1, 0)).extracting(ProviderRecord::provider).containsExactly(c, b);
        assertThat(store.records()).isEqualTo(2);
        assertThat(store.add(k2, a, ADDR, 100)).isTrue();
        // The store is full of other keys: a new key is refused.
        assertThat(store.add(new byte[] {3}, a, ADDR, 100)).isFalse();
        assertThat(store.keys()).isEqualTo(2);
        // Expired records are hidden at once and dropped by expire().
        assertThat(store.get(k1, 300)).extracting(ProviderRecord::provider).containsExactly(b);
        assertThat(store.expire(300)).isEqualTo(2); // c of k1, a of k2
        assertThat(store.keys()).isEqualTo(1);
        assertThat(store.records()).isEqualTo(1);
        assertThat(store.add(new byte[] {3}, a, ADDR, 1000)).isTrue();
    }
}
