/** Lava Lakes: content-addressed, tiered block storage with IPFS and Filecoin formats. */
package io.ipdm.lakes;
