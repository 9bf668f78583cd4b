/**
 * The one copy of the multiformats IPDM speaks, at the bottom of the module graph: unsigned varint,
 * the multibase encodings ({@link io.ipdm.multiformats.Multibase}, with {@link
 * io.ipdm.multiformats.Base32} and {@link io.ipdm.multiformats.Base58}), multihash and the hash
 * functions behind it, the multicodec table and CIDs. Every malformed value is a {@link
 * io.ipdm.multiformats.MultiformatException}. The protobuf wire reader and writer are in {@code
 * io.ipdm.multiformats.protobuf}.
 */
package io.ipdm.multiformats;
