// CommP baselines on the file the Java benchmark wrote: @web3-storage/data-segment (JavaScript) and
// fr32-sha2-256-trunc254-padded-binary-tree-multihash (Rust compiled to WebAssembly).
// Usage: node commp-bench.mjs FILE
// Prints {"dataSegment": {"pieceCidV2", "mbPerSecond"}, "rustWasm": {"pieceCidV2", "mbPerSecond"}}
import { readFileSync } from 'node:fs'
import { Piece } from '@web3-storage/data-segment'
import { create } from 'fr32-sha2-256-trunc254-padded-binary-tree-multihash'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'

const RAW = 0x55
const bytes = new Uint8Array(readFileSync(process.argv[2]))

function timed (f) {
  const t0 = process.hrtime.bigint()
  const pieceCidV2 = f()
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  return { pieceCidV2, mbPerSecond: bytes.length / 1e6 / seconds }
}

const dataSegment = timed(() => Piece.toString(Piece.fromPayload(bytes)))
const rustWasm = timed(() => {
  const hasher = create()
  hasher.write(bytes)
  const multihash = new Uint8Array(hasher.multihashByteLength())
  hasher.digestInto(multihash, 0, true)
  hasher.free()
  return CID.createV1(RAW, Digest.decode(multihash)).toString()
})
console.log(JSON.stringify({ dataSegment, rustWasm }))
