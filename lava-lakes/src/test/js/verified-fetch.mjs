// Helia's @helia/verified-fetch against a Lava Lakes gateway as its only trustless gateway (no libp2p, no
// delegated routing): every block it reads is fetched with Accept: application/vnd.ipld.raw and checked
// against its CID by Helia, the UnixFS file reassembled by Helia. Also asks the gateway for a CAR by
// Accept header alone. Usage: node verified-fetch.mjs BASE_URL CID ; prints one JSON object.
if (typeof Promise.withResolvers !== 'function') {
  // Node 20 lacks Promise.withResolvers, which Helia 7 uses.
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
const { createHeliaLight } = await import('helia')
const { withHTTP } = await import('@helia/http')
const { createVerifiedFetchWithHelia } = await import('@helia/verified-fetch')
const { CarReader } = await import('@ipld/car')
const { createHash } = await import('node:crypto')

const [base, cid] = process.argv.slice(2)
const helia = withHTTP(createHeliaLight({ start: false }), {
  recursiveGateways: [base],
  delegatedRouters: [],
  allowInsecure: true,
  allowLocal: true
})
// Helia waits for a non-fallback router to finish before it asks the fallback (gateway) router, and with
// none it waits forever: add one that finds nothing.
helia.addRouter({ name: 'none', async * findProviders () {} })
await helia.start()
const verifiedFetch = await createVerifiedFetchWithHelia(helia)
const out = {}
const file = await verifiedFetch(`ipfs://${cid}`, { signal: AbortSignal.timeout(60000) })
const bytes = Buffer.from(await file.arrayBuffer())
out.status = file.status
out.size = bytes.length
out.sha256 = createHash('sha256').update(bytes).digest('hex')

const car = await fetch(`${base}/ipfs/${cid}`, { headers: { accept: 'application/vnd.ipld.car' } })
out.carStatus = car.status
out.carType = car.headers.get('content-type')
if (car.status === 200) {
  const reader = await CarReader.fromBytes(new Uint8Array(await car.arrayBuffer()))
  out.carRoots = (await reader.getRoots()).map(String)
  out.carBlocks = 0
  for await (const b of reader.blocks()) out.carBlocks += b.bytes.length > 0 ? 1 : 0
}
await helia.stop()
console.log(JSON.stringify(out))
process.exit(0)
