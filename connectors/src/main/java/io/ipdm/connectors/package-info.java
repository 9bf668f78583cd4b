/** Flink sources and sinks: Solana, gossipsub, Lava Lakes, files. */
package io.ipdm.connectors;
