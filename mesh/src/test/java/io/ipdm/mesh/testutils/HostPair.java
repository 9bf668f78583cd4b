package io.ipdm.mesh.testutils;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two hosts with fresh keys and the default transport config, closed after each test: a test class
 * holds one as {@code @RegisterExtension final HostPair hosts = new HostPair();}.
 */
public final class HostPair implements AfterEachCallback {
    public final Host a = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
    public final Host b = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());

    @Override
    public void afterEach(ExtensionContext context) {
        a.close();
        b.close();
    }
}
