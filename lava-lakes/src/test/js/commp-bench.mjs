// CommP baseline: @web3-storage/data-segment on the file the Java benchmark wrote.
// Usage: node commp-bench.mjs FILE ; prints {"pieceCidV2": ..., "mbPerSecond": ...}
import { readFileSync } from 'node:fs'
import { Piece } from '@web3-storage/data-segment'

const bytes = new Uint8Array(readFileSync(process.argv[2]))
const t0 = process.hrtime.bigint()
const piece = Piece.fromPayload(bytes)
const seconds = Number(process.hrtime.bigint() - t0) / 1e9
console.log(JSON.stringify({ pieceCidV2: Piece.toString(piece), mbPerSecond: bytes.length / 1e6 / seconds }))
