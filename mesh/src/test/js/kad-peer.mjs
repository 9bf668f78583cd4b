// A js-libp2p peer with @libp2p/kad-dht in server mode on /ipfs/kad/1.0.0 (no public bootstrap),
// driven by JSON lines on stdin; reports JSON lines on stdout. Used by the Java DHT interop test
// and benchmark. Loopback only. Keys travel as base64 multihash bytes (what the DHT keys CIDs by).
if (typeof Promise.withResolvers !== 'function') {
  // Node 20 lacks Promise.withResolvers, which js-libp2p 3 uses.
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { kadDHT, passthroughMapper } = await import('@libp2p/kad-dht')
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')
const { CID } = await import('multiformats/cid')
const Digest = await import('multiformats/hashes/digest')
const readline = await import('node:readline')

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    dht: kadDHT({
      protocol: '/ipfs/kad/1.0.0',
      clientMode: false,
      // loopback addresses are all there is here; the default mapper drops private addresses
      peerInfoMapper: passthroughMapper,
      allowQueryWithZeroPeers: true
    })
  }
})
const dht = node.services.dht

const keyCid = (b64) => CID.createV1(0x55, Digest.decode(Buffer.from(b64, 'base64')))
const info = (p) => ({ id: p.id.toString(), addrs: (p.multiaddrs ?? []).map(String) })

out({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })

const rl = readline.createInterface({ input: process.stdin })
rl.on('line', async (line) => {
  let cmd
  try {
    cmd = JSON.parse(line)
  } catch (e) {
    out({ event: 'error', error: 'bad command: ' + line })
    return
  }
  const signal = AbortSignal.timeout(Number(cmd.timeoutMs ?? 20000))
  const started = performance.now()
  try {
    switch (cmd.cmd) {
      case 'dial': {
        const c = await node.dial(multiaddr(cmd.addr))
        out({ event: 'dialed', id: cmd.id, peer: c.remotePeer.toString() })
        break
      }
      case 'routing-table': {
        out({ event: 'routing-table', id: cmd.id, size: dht.routingTable.size })
        break
      }
      case 'provide': {
        let sent = 0
        for await (const e of dht.provide(keyCid(cmd.key), { signal })) {
          if (e.name === 'PEER_RESPONSE' && e.messageName === 'ADD_PROVIDER') sent++
        }
        out({ event: 'provided', id: cmd.id, sent })
        break
      }
      case 'find-providers': {
        const providers = []
        const want = Number(cmd.count ?? 1)
        let hops = 0
        for await (const e of dht.findProviders(keyCid(cmd.key), { signal })) {
          if (e.name === 'PROVIDER') {
            for (const p of e.providers) providers.push(info(p))
            hops = e.path?.index ?? hops
            if (providers.length >= want) break
          }
        }
        out({ event: 'providers', id: cmd.id, providers, ms: performance.now() - started })
        break
      }
      case 'find-peer': {
        let found = null
        for await (const e of dht.findPeer(peerIdFromString(cmd.peer), { signal })) {
          if (e.name === 'FINAL_PEER') {
            found = info(e.peer)
            break
          }
        }
        out({ event: 'peer', id: cmd.id, peer: found })
        break
      }
      case 'closest-peers': {
        const peers = []
        for await (const e of dht.getClosestPeers(Buffer.from(cmd.key, 'base64'), { signal })) {
          if (e.name === 'FINAL_PEER') peers.push(info(e.peer))
        }
        out({ event: 'closest', id: cmd.id, peers })
        break
      }
      default:
        out({ event: 'error', id: cmd.id, error: 'unknown command ' + cmd.cmd })
    }
  } catch (e) {
    out({ event: 'error', id: cmd.id, error: String(e && e.stack ? e.stack : e) })
  }
})
