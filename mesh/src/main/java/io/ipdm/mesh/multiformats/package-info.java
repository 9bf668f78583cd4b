/**
 * Small multiformats primitives shared by the mesh and Lava Lakes: unsigned varint, base58btc,
 * base32, multibase prefixes and multihash (identity and sha2-256). The API is kept stable for
 * other modules.
 */
package io.ipdm.mesh.multiformats;
