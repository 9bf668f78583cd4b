// Independent trustless-gateway client: fetches each CID as raw and as CAR from a Lava Lakes gateway
// and verifies every byte with @ipld/car and multiformats (not with any Lava Lakes code).
// Usage: node gateway-client.mjs BASE_URL CID... ; prints one JSON object.
import { CarReader } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { identity } from 'multiformats/hashes/identity'
import { equals } from 'multiformats/bytes'

const [base, ...cids] = process.argv.slice(2)

async function verifies (cid, bytes) {
  const hasher = cid.multihash.code === sha256.code ? sha256 : cid.multihash.code === identity.code ? identity : null
  if (hasher === null) return false
  const digest = await hasher.digest(bytes)
  return equals(digest.bytes, cid.multihash.bytes)
}

const out = { results: [], statuses: {} }
for (const text of cids) {
  const cid = CID.parse(text)
  const r = { cid: text }
  const raw = await fetch(`${base}/ipfs/${text}?format=raw`)
  r.rawStatus = raw.status
  r.rawType = raw.headers.get('content-type')
  r.rawVerified = await verifies(cid, new Uint8Array(await raw.arrayBuffer()))
  const head = await fetch(`${base}/ipfs/${text}`, { method: 'HEAD', headers: { accept: 'application/vnd.ipld.raw' } })
  r.headStatus = head.status
  r.headLength = Number(head.headers.get('content-length'))
  const car = await fetch(`${base}/ipfs/${text}?format=car`)
  r.carStatus = car.status
  r.carType = car.headers.get('content-type')
  const reader = await CarReader.fromBytes(new Uint8Array(await car.arrayBuffer()))
  r.carRoots = (await reader.getRoots()).map(c => c.toString())
  r.carBlocks = []
  r.carVerified = true
  for await (const block of reader.blocks()) {
    r.carBlocks.push(block.cid.toString())
    r.carVerified = r.carVerified && await verifies(block.cid, block.bytes)
  }
  out.results.push(r)
}
for (const [name, path] of [['badCid', '/ipfs/not-a-cid?format=raw'], ['noFormat', `/ipfs/${cids[0]}`],
  ['unknown', '/ipfs/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku?format=raw']]) {
  out.statuses[name] = (await fetch(base + path)).status
}
console.log(JSON.stringify(out))
