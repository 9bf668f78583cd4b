// Helia's delegated routing against a Lava Lakes gateway's /routing/v1 (the Delegated Routing V1 HTTP API).
// Usage:
//   node delegated-routing.mjs client URL CID PEER_ID CLOSEST_TO IPNS_NAME IPNS_RECORD_BASE64
//     @helia/delegated-routing-v1-http-api-client alone: getProviders(CID), getPeers(PEER_ID),
//     getClosestPeers(CLOSEST_TO, a peer id), putIPNS(NAME, record) then getIPNS(NAME); prints one JSON object.
//   node delegated-routing.mjs helia URL CID
//     a Helia 7 node on js-libp2p (TCP, Noise, Yamux, identify, Bitswap) whose only routing is that client as
//     libp2p content and peer routing services: no DHT, no bootstrap, no gateways. It asks the router for providers of CID, dials one and
//     fetches the block by Bitswap; prints {size, sha256, connected}.
if (typeof Promise.withResolvers !== 'function') {
  // Node 20 lacks Promise.withResolvers, which js-libp2p 3 and Helia 7 use.
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
const {
  delegatedRoutingV1HttpApiClient,
  delegatedRoutingV1HttpApiClientContentRouting,
  delegatedRoutingV1HttpApiClientPeerRouting
} = await import('@helia/delegated-routing-v1-http-api-client')
const { CID } = await import('multiformats/cid')
const { peerIdFromString, peerIdFromCID } = await import('@libp2p/peer-id')
const { defaultLogger } = await import('@libp2p/logger')
const { createHash } = await import('node:crypto')

const [mode, url, ...args] = process.argv.slice(2)
const out = {}
const record = (p) => ({
  id: peerIdFromCID(p.ID).toString(),
  addrs: p.Addrs.map(String),
  protocols: p.Protocols
})

if (mode === 'client') {
  const [cid, peer, closest, name, ipns] = args
  const client = delegatedRoutingV1HttpApiClient({ url, cacheTTL: 0, timeout: 30000 })({ logger: defaultLogger() })
  await client.start?.()
  out.providers = []
  for await (const p of client.getProviders(CID.parse(cid))) out.providers.push(record(p))
  out.peers = []
  for await (const p of client.getPeers(peerIdFromString(peer).toCID())) out.peers.push(record(p))
  // with Helia's default protocol filter the peer is still found (its record lists transport-bitswap)
  out.peersFiltered = 0
  for await (const p of client.getPeers(peerIdFromString(peer).toCID(), { filterProtocols: ['transport-bitswap'] })) out.peersFiltered++
  out.closest = []
  for await (const p of client.getClosestPeers(peerIdFromString(closest).toCID())) out.closest.push(record(p))
  const key = peerIdFromString(name).toCID()
  await client.putIPNS(key, Buffer.from(ipns, 'base64'))
  out.ipns = Buffer.from(await client.getIPNS(key)).toString('base64')
  await client.stop?.()
} else if (mode === 'helia') {
  const [cid] = args
  const { createHeliaLight } = await import('helia')
  const { withLibp2pLight } = await import('@helia/libp2p')
  const { withBitswap } = await import('@helia/bitswap')
  const { tcp } = await import('@libp2p/tcp')
  const { noise } = await import('@libp2p/noise')
  const { yamux } = await import('@libp2p/yamux')
  const { identify } = await import('@libp2p/identify')
  // the IPIP-484 filters @helia/delegated-routing-client's defaults send (delegatedHTTPRoutingDefaults)
  const routing = {
    url,
    cacheTTL: 0,
    timeout: 30000,
    filterProtocols: ['unknown', 'transport-bitswap', 'transport-ipfs-gateway-http'],
    filterAddrs: ['https', 'tcp', 'webrtc', 'webrtc-direct', 'wss', 'tls']
  }
  const helia = withBitswap(withLibp2pLight(createHeliaLight({ start: false }), {
    addresses: { listen: [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: [],
    services: {
      identify: identify(),
      // what @helia/libp2p's defaults install for delegated routing, pointed at our gateway
      delegatedContentRouting: delegatedRoutingV1HttpApiClientContentRouting(routing),
      delegatedPeerRouting: delegatedRoutingV1HttpApiClientPeerRouting(routing)
    }
  }))
  await helia.start()
  const parts = []
  for await (const p of helia.blockstore.get(CID.parse(cid), { signal: AbortSignal.timeout(60000) })) parts.push(p)
  const bytes = Buffer.concat(parts)
  out.size = bytes.length
  out.sha256 = createHash('sha256').update(bytes).digest('hex')
  out.connected = helia.libp2p.getConnections().map(c => c.remotePeer.toString())
  await helia.stop()
} else {
  throw new Error(`unknown mode ${mode}; use client or helia`)
}
console.log(JSON.stringify(out))
process.exit(0)
