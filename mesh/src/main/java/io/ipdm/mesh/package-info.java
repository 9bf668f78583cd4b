/** libp2p for IPDM: peer identity, transports, secure channels, muxers and gossipsub. */
package io.ipdm.mesh;
