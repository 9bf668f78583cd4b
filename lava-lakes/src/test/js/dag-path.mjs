// DAG-CBOR / DAG-JSON data for the gateway's IPLD path tests, built and checked by the reference JS codecs
// (@ipld/dag-cbor, @ipld/dag-json, @ipld/car, multiformats), independent of the Java ones.
// Usage:
//   node dag-path.mjs build OUT.car
//     writes a CARv1 of a small DAG (dag-cbor root with maps, lists, links to a dag-json block, a dag-cbor block
//     and a raw block) and prints {root, cids: {name: cid}}
//   node dag-path.mjs check BASE_URL ROOT PATH...
//     for each PATH fetches BASE_URL/ipfs/ROOT/PATH?format=car (and &dag-scope=block), checks every block's bytes
//     against its CID, walks PATH itself over the CAR's blocks with the JS decoders, and prints one JSON line
//     {results: [{path, status, roots, blocks, verified, target, value, blockScopeBlocks}]} where target is the
//     CID of the block the path ends in and value the DAG-JSON of the node it names (its links as {"/": cid}).
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { CarWriter, CarReader } from '@ipld/car'
import { writeFile } from 'node:fs/promises'

const codecs = { [dagCbor.code]: dagCbor, [dagJson.code]: dagJson, [raw.code]: raw }

async function block (codec, value) {
  const bytes = codec.encode(value)
  return { cid: CID.createV1(codec.code, await sha256.digest(bytes)), bytes }
}

async function build (out) {
  const leaf = await block(raw, new TextEncoder().encode('leaf bytes'))
  const json = await block(dagJson, { title: 'made by @ipld/dag-json', tags: ['a', 'b'], leaf: leaf.cid })
  const inner = await block(dagCbor, { n: 42, bytes: new Uint8Array([1, 2, 3]), json: json.cid, none: null })
  const root = await block(dagCbor, {
    name: 'root',
    list: [1, inner.cid, { deep: [json.cid, 'x'] }],
    map: { 'key with space': inner.cid, 'ü': 'unicode key' },
    leaf: leaf.cid
  })
  const { writer, out: stream } = CarWriter.create([root.cid])
  const chunks = []
  const done = (async () => { for await (const c of stream) chunks.push(c) })()
  for (const b of [root, inner, json, leaf]) await writer.put(b)
  await writer.close()
  await done
  await writeFile(out, Buffer.concat(chunks))
  console.log(JSON.stringify({
    root: root.cid.toString(),
    cids: { root: root.cid.toString(), inner: inner.cid.toString(), json: json.cid.toString(), leaf: leaf.cid.toString() }
  }))
}

async function car (url) {
  const r = await fetch(url)
  const body = new Uint8Array(await r.arrayBuffer())
  if (r.status !== 200) return { status: r.status, text: new TextDecoder().decode(body).trim() }
  const reader = await CarReader.fromBytes(body)
  const blocks = new Map()
  let verified = true
  const order = []
  for await (const b of reader.blocks()) {
    const digest = await sha256.digest(b.bytes)
    verified &&= b.cid.multihash.code === sha256.code && digest.bytes.every((x, i) => x === b.cid.multihash.bytes[i])
    blocks.set(b.cid.toString(), b)
    order.push(b.cid.toString())
  }
  return { status: 200, roots: r.headers.get('x-ipfs-roots'), blocks, order, verified, carRoots: (await reader.getRoots()).map(String) }
}

// IPLD pathing over the blocks the CAR carried: a missing block means the CAR did not prove the path.
function walk (blocks, root, segments) {
  let cid = root
  let node = decode(blocks, cid)
  for (const seg of segments) {
    const next = Array.isArray(node) ? node[Number(seg)] : node?.[seg]
    if (next === undefined) throw new Error(`no ${seg} under ${cid}`)
    const link = CID.asCID(next)
    if (link != null) {
      cid = link
      node = decode(blocks, cid)
    } else {
      node = next
    }
  }
  return { target: cid.toString(), value: JSON.parse(new TextDecoder().decode(dagJson.encode(node))) }
}

function decode (blocks, cid) {
  const b = blocks.get(cid.toString())
  if (b == null) throw new Error(`block ${cid} is not in the CAR`)
  return codecs[cid.code].decode(b.bytes)
}

async function check (base, root, paths) {
  const results = []
  for (const path of paths) {
    const segments = path.split('/').filter((s) => s.length > 0)
    const url = `${base}/ipfs/${root}/${segments.map(encodeURIComponent).join('/')}?format=car`
    const all = await car(url)
    const res = { path, status: all.status }
    if (all.status !== 200) {
      res.text = all.text
    } else {
      res.roots = all.roots
      res.carRoots = all.carRoots
      res.blocks = all.order
      res.verified = all.verified
      Object.assign(res, walk(all.blocks, CID.parse(root), segments))
      const block = await car(url + '&dag-scope=block')
      res.blockScopeBlocks = block.order
      walk(block.blocks, CID.parse(root), segments) // the block scope proves the path too
    }
    results.push(res)
  }
  console.log(JSON.stringify({ results }))
}

const [mode, ...args] = process.argv.slice(2)
if (mode === 'build') await build(args[0])
else if (mode === 'check') await check(args[0], args[1], args.slice(2))
else throw new Error('usage: dag-path.mjs build OUT.car | check BASE_URL ROOT PATH...')
