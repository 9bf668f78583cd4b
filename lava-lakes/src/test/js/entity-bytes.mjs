// UnixFS files built by ipfs-unixfs-importer and read back by ipfs-unixfs-exporter (both pulled in by
// @helia/verified-fetch), for the gateway's entity-bytes tests: independent of the Java UnixFS code.
// Usage:
//   node entity-bytes.mjs build OUT.car SIZE CHUNK MAX_CHILDREN RAW_LEAVES
//     a SIZE-byte file, fixed-size chunks, a balanced DAG of at most MAX_CHILDREN links per node, raw leaves
//     (CIDv1) or dag-pb leaves (CIDv0) as RAW_LEAVES is true or false; writes every block to OUT.car; prints {root}
//   node entity-bytes.mjs check BASE_URL FILE.car SPEC...
//     for each SPEC (from:to) fetches BASE_URL/ipfs/ROOT?format=car&entity-bytes=SPEC, checks each block against
//     its CID, reads the range from those blocks alone with the exporter (offset/length per the trustless gateway
//     spec) and compares it with the same range read from the whole file; also records which blocks the exporter
//     reads from the whole file for that range. Prints {results: [{spec, status, etag, blocks, needed, ok, error}]}
import { importBytes } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { exporter } from 'ipfs-unixfs-exporter'
import { CarWriter, CarReader } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { equals } from 'multiformats/bytes'
import { readFile, writeFile } from 'node:fs/promises'

/** A blockstore in memory that notes which blocks are read. */
function store () {
  const blocks = new Map()
  const read = []
  return {
    blocks,
    read,
    put (cid, bytes) { blocks.set(cid.toString(), { cid, bytes }); return cid },
    * get (cid) {
      const b = blocks.get(cid.toString())
      if (b === undefined) throw new Error(`block ${cid} is not in the store`)
      read.push(cid.toString())
      yield b.bytes
    },
    has (cid) { return blocks.has(cid.toString()) }
  }
}

async function build (out, size, chunk, maxChildren, rawLeaves) {
  const content = new Uint8Array(size)
  for (let i = 0; i < size; i++) content[i] = (i * 7 + 3) % 251
  const s = store()
  const { cid } = await importBytes(content, s, {
    chunker: fixedSize({ chunkSize: chunk }),
    layout: balanced({ maxChildrenPerNode: maxChildren }),
    rawLeaves,
    cidVersion: rawLeaves ? 1 : 0,
    reduceSingleLeafToSelf: true
  })
  const { writer, out: stream } = CarWriter.create([cid])
  const chunks = []
  const done = (async () => { for await (const c of stream) chunks.push(c) })()
  for (const b of s.blocks.values()) await writer.put(b)
  await writer.close()
  await done
  await writeFile(out, Buffer.concat(chunks))
  console.log(JSON.stringify({ root: cid.toString(), blocks: s.blocks.size }))
}

async function readAll (s, root, offset, length) {
  const entry = await exporter(root, s)
  const parts = []
  for await (const p of entry.content({ offset, length })) parts.push(p)
  return Buffer.concat(parts)
}

/** The spec's from:to over a size-byte file as exporter offset/length (to inclusive; negatives from the end). */
function range (spec, size) {
  const [a, b] = spec.split(':')
  let from = Number(a)
  if (from < 0) from = Math.max(0, size + from)
  let to = b === '*' ? size - 1 : Number(b)
  if (b !== '*' && to < 0) to = size + to
  to = Math.min(to, size - 1)
  return { offset: from, length: Math.max(0, to - from + 1) }
}

async function check (base, carFile, specs) {
  const whole = store()
  const reader = await CarReader.fromBytes(await readFile(carFile))
  const [root] = await reader.getRoots()
  for await (const b of reader.blocks()) whole.put(b.cid, b.bytes)
  const size = Number((await exporter(root, whole)).size)
  const results = []
  for (const spec of specs) {
    const r = { spec }
    try {
      const res = await fetch(`${base}/ipfs/${root}?format=car&entity-bytes=${spec}`)
      r.status = res.status
      r.etag = res.headers.get('etag')
      const got = store()
      r.blocks = []
      r.verified = true
      const car = await CarReader.fromBytes(new Uint8Array(await res.arrayBuffer()))
      for await (const b of car.blocks()) {
        r.blocks.push(b.cid.toString())
        const digest = await sha256.digest(b.bytes)
        r.verified = r.verified && equals(digest.bytes, b.cid.multihash.bytes)
        got.put(b.cid, b.bytes)
      }
      const { offset, length } = range(spec, size)
      whole.read.length = 0
      const expected = await readAll(whole, root, offset, length)
      r.needed = [...new Set(whole.read)]
      const actual = await readAll(got, root, offset, length)
      r.ok = r.verified && equals(actual, expected) && expected.length === length
    } catch (e) {
      r.ok = false
      r.error = e.message
    }
    results.push(r)
  }
  console.log(JSON.stringify({ root: root.toString(), size, results }))
}

const [cmd, ...args] = process.argv.slice(2)
if (cmd === 'build') {
  await build(args[0], Number(args[1]), Number(args[2]), Number(args[3]), args[4] === 'true')
} else if (cmd === 'check') {
  await check(args[0], args[1], args.slice(2))
} else {
  console.error('usage: node entity-bytes.mjs build|check ...')
  process.exit(2)
}
