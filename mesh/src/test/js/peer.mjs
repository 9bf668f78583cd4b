// The one js-libp2p / Helia peer the Java interop tests and benchmarks drive (io.ipdm.mesh.testutils.JsPeer).
// Usage: node peer.mjs [ws] [gossipsub] [kad|kadclient] [helia] [defaults] [ipns]
//   always: TCP, Noise, Yamux, identify (+ push), ping
//   ws:        @libp2p/websockets too, listening on /ip4/127.0.0.1/tcp/0/ws besides TCP
//   defaults:  instead, Helia's default libp2p stack (@helia/libp2p libp2pDefaults) without its internet services
//   gossipsub: @libp2p/gossipsub, StrictSign
//   kad:       @libp2p/kad-dht in server mode on /ipfs/kad/1.0.0 (no public bootstrap)
//   kadclient: the same DHT in client mode (asks and provides, answers no queries: in no routing table)
//   helia:     a Helia 7 node (Bitswap, UnixFS) on the same libp2p; with kad, Helia routes through the DHT
//   ipns:      the npm ipns package (what Helia and js kad-dht use): the ipns-* commands, and with kad the DHT
//              validates and selects /ipns/ records with ipnsValidator / ipnsSelector
// Commands are JSON lines on stdin ({cmd, id, ...}); every command gets exactly one answer
// {event: 'result', id, ...} or {event: 'error', id, error}. Unsolicited events: ready, connected,
// identify, message, bench-done. Loopback only. DHT keys travel as base64 multihash bytes.
if (typeof Promise.withResolvers !== 'function') {
  // Node 20 lacks Promise.withResolvers, which js-libp2p 3 and Helia 7 use.
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
if (typeof globalThis.WebSocket !== 'function') {
  // Node 20 has no global WebSocket (22 has), which @libp2p/websockets dials with; ws is its server side.
  globalThis.WebSocket = (await import('ws')).WebSocket
}
const want = new Set(process.argv.slice(2))
const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify, identifyPush } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')
const { CID } = await import('multiformats/cid')
const Digest = await import('multiformats/hashes/digest')
const raw = await import('multiformats/codecs/raw')
const { sha256 } = await import('multiformats/hashes/sha2')
const { createHash } = await import('node:crypto')
const readline = await import('node:readline')

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')

const services = { identify: identify(), identifyPush: identifyPush(), ping: ping() }
if (want.has('gossipsub')) {
  const { gossipsub } = await import('@libp2p/gossipsub')
  services.pubsub = gossipsub({
    allowPublishToZeroTopicPeers: true,
    emitSelf: false,
    globalSignaturePolicy: 'StrictSign',
    heartbeatInterval: 700
  })
}
const ipns = want.has('ipns') ? await import('ipns') : null
const ipnsValidators = ipns ? await import('ipns/validator') : null
const ipnsSelectors = ipns ? await import('ipns/selector') : null
if (want.has('kad') || want.has('kadclient')) {
  const { kadDHT, passthroughMapper } = await import('@libp2p/kad-dht')
  services.dht = kadDHT({
    protocol: '/ipfs/kad/1.0.0',
    clientMode: want.has('kadclient'),
    // loopback addresses are all there is here; the default mapper drops private addresses
    peerInfoMapper: passthroughMapper,
    allowQueryWithZeroPeers: true,
    ...(ipns ? { validators: { ipns: ipnsValidators.ipnsValidator }, selectors: { ipns: ipnsSelectors.ipnsSelector } } : {})
  })
}
let libp2pInit = {
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services
}
if (want.has('ws')) {
  const { webSockets } = await import('@libp2p/websockets')
  libp2pInit.transports.push(webSockets())
  libp2pInit.addresses.listen.push('/ip4/127.0.0.1/tcp/0/ws')
}
if (want.has('defaults')) {
  // Helia's own libp2p configuration (TCP, WebSockets, WebRTC, circuit relay; Noise and TLS; Yamux; identify,
  // ping, kad-dht client, dcutr, relay, http, ...) minus what needs the internet, listening on loopback.
  const { libp2pDefaults } = await import('@helia/libp2p')
  libp2pInit = libp2pDefaults()
  for (const s of ['autoNAT', 'upnp', 'bootstrap', 'autoTLS', 'delegatedPeerRouting', 'delegatedContentRouting']) {
    delete libp2pInit.services[s]
  }
  Object.assign(libp2pInit.services, services)
  libp2pInit.peerDiscovery = []
  libp2pInit.addresses = { listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'] }
}

let node, helia, fs
if (want.has('helia')) {
  const { createHeliaLight } = await import('helia')
  const { withLibp2pLight } = await import('@helia/libp2p')
  const { withBitswap } = await import('@helia/bitswap')
  const { unixfs } = await import('@helia/unixfs')
  helia = withBitswap(withLibp2pLight(createHeliaLight({ start: false }), libp2pInit))
  await helia.start()
  node = helia.libp2p
  fs = unixfs(helia)
} else {
  node = await createLibp2p(libp2pInit)
}
const pubsub = node.services.pubsub
const dht = node.services.dht

// Benchmark mode: payloads start with 'IPDMBENCH', then the send time (epoch ms, float64) and a counter.
const BENCH = Buffer.from('IPDMBENCH')
const bench = { received: 0, latencies: [] }
const nowMs = () => performance.timeOrigin + performance.now()

pubsub?.addEventListener('message', (evt) => {
  const m = evt.detail
  const d = Buffer.from(m.data)
  if (d.length >= 25 && d.subarray(0, 9).equals(BENCH)) {
    bench.received++
    bench.latencies.push(nowMs() - d.readDoubleBE(9))
    return
  }
  out({
    event: 'message',
    topic: m.topic,
    from: m.from ? m.from.toString() : null,
    seqno: m.sequenceNumber !== undefined ? m.sequenceNumber.toString() : null,
    data: d.toString('base64'),
    signed: m.type === 'signed',
    at: Date.now()
  })
})
node.addEventListener('peer:identify', (evt) => {
  const d = evt.detail
  out({ event: 'identify', peer: d.peerId.toString(), agent: d.agentVersion ?? null, protocols: d.protocols })
})
node.addEventListener('connection:open', (evt) => {
  out({ event: 'connected', peer: evt.detail.remotePeer.toString(), direction: evt.detail.direction })
})

// Deterministic content for a seed (xorshift32 words): the tests and the benchmark compare SHA-256 digests.
function content (seed, size) {
  const words = new Uint32Array(Math.ceil(size / 4))
  let x = (seed | 0) || 1
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    words[i] = x >>> 0
  }
  return Buffer.from(words.buffer, 0, size)
}

const keyCid = (b64) => CID.createV1(0x55, Digest.decode(Buffer.from(b64, 'base64')))
const info = (p) => ({ id: p.id.toString(), addrs: (p.multiaddrs ?? []).map(String) })
const need = (what, name) => { if (what == null) throw new Error(`peer started without ${name}`); return what }

const handlers = {
  // --- libp2p ---
  async dial ({ addr }) {
    const c = await node.dial(multiaddr(addr))
    return { peer: c.remotePeer.toString() }
  },
  async hangUp ({ peer }) {
    await node.hangUp(peerIdFromString(peer))
    return {}
  },
  async connections () {
    return { peers: node.getConnections().map((c) => c.remotePeer.toString()) }
  },
  async ping ({ peer }) {
    return { rtt: await node.services.ping.ping(peerIdFromString(peer)) }
  },
  async peerinfo ({ peer }) {
    const p = await node.peerStore.get(peerIdFromString(peer))
    const agent = p.metadata.get('AgentVersion')
    return {
      protocols: p.protocols,
      agent: agent ? Buffer.from(agent).toString() : null,
      addrs: p.addresses.map((a) => a.multiaddr.toString()),
      // addresses from the peer's signed peer record (js verified the envelope)
      certified: p.addresses.filter((a) => a.isCertified).map((a) => a.multiaddr.toString()),
      record: p.peerRecordEnvelope != null
    }
  },
  // Registers a protocol: js-libp2p then sends identify push to every connected peer.
  async handle ({ protocol }) {
    await node.handle(protocol, ({ stream }) => stream.close())
    return {}
  },
  // --- gossipsub ---
  async subscribe ({ topic }) {
    need(pubsub, 'gossipsub').subscribe(topic)
    return { topic }
  },
  async unsubscribe ({ topic }) {
    need(pubsub, 'gossipsub').unsubscribe(topic)
    return { topic }
  },
  async publish ({ topic, data }) {
    const r = await need(pubsub, 'gossipsub').publish(topic, Buffer.from(data, 'base64'))
    return { recipients: r.recipients.length }
  },
  async mesh ({ topic }) {
    return {
      peers: need(pubsub, 'gossipsub').getMeshPeers(topic).map(String),
      subscribers: pubsub.getSubscribers(topic).map(String)
    }
  },
  async score ({ peer }) {
    return { score: need(pubsub, 'gossipsub').getScore(peer) }
  },
  async 'bench-reset' () {
    bench.received = 0
    bench.latencies = []
    return {}
  },
  // Publishes count messages of size bytes, every intervalMs (0: as fast as publish resolves); answers
  // at once and reports {event: 'bench-done', tag} when the last one is out.
  async 'bench-burst' ({ topic, count, size, intervalMs, tag }) {
    need(pubsub, 'gossipsub')
    ;(async () => {
      for (let i = 0; i < Number(count); i++) {
        const buf = Buffer.alloc(Number(size))
        BENCH.copy(buf, 0)
        buf.writeDoubleBE(nowMs(), 9)
        buf.writeBigUInt64BE(BigInt(i), 17)
        await pubsub.publish(topic, buf)
        if (Number(intervalMs) > 0) await new Promise((resolve) => setTimeout(resolve, Number(intervalMs)))
      }
      out({ event: 'bench-done', tag })
    })().catch((e) => out({ event: 'bench-done', tag, error: String(e) }))
    return {}
  },
  async 'bench-count' () {
    return { received: bench.received }
  },
  async 'bench-report' () {
    return { received: bench.received, latencies: bench.latencies }
  },
  // --- kad-dht ---
  async 'routing-table' () {
    return { size: need(dht, 'kad').routingTable.size }
  },
  async provide ({ key }, signal) {
    let sent = 0
    for await (const e of need(dht, 'kad').provide(keyCid(key), { signal })) {
      if (e.name === 'PEER_RESPONSE' && e.messageName === 'ADD_PROVIDER') sent++
    }
    return { sent }
  },
  async 'find-providers' ({ key, count }, signal) {
    const started = performance.now()
    const providers = []
    for await (const e of need(dht, 'kad').findProviders(keyCid(key), { signal })) {
      if (e.name === 'PROVIDER') {
        for (const p of e.providers) providers.push(info(p))
        if (providers.length >= Number(count ?? 1)) break
      }
    }
    return { providers, ms: performance.now() - started }
  },
  async 'find-peer' ({ peer }, signal) {
    for await (const e of need(dht, 'kad').findPeer(peerIdFromString(peer), { signal })) {
      if (e.name === 'FINAL_PEER') return { peer: info(e.peer) }
    }
    return { peer: null }
  },
  async 'closest-peers' ({ key }, signal) {
    const peers = []
    for await (const e of need(dht, 'kad').getClosestPeers(Buffer.from(key, 'base64'), { signal })) {
      if (e.name === 'FINAL_PEER') peers.push(info(e.peer))
    }
    return { peers }
  },
  // PUT_VALUE of a record (key and value as base64 bytes) to the closest peers; js validates it first
  async 'put-value' ({ key, value }, signal) {
    let sent = 0
    for await (const e of need(dht, 'kad').put(Buffer.from(key, 'base64'), Buffer.from(value, 'base64'), { signal })) {
      if (e.name === 'PEER_RESPONSE' && e.messageName === 'PUT_VALUE') sent++
    }
    return { sent }
  },
  async 'get-value' ({ key }, signal) {
    for await (const e of need(dht, 'kad').get(Buffer.from(key, 'base64'), { signal })) {
      if (e.name === 'VALUE') return { value: Buffer.from(e.value).toString('base64'), from: e.from.toString() }
    }
    return { value: null }
  },
  // --- IPNS (the npm ipns package) ---
  // Validates a record for a routing key as js kad-dht does (ipnsValidator), then reads it (unmarshalIPNSRecord).
  async 'ipns-check' ({ key, record }) {
    const bytes = Buffer.from(record, 'base64')
    await need(ipnsValidators, 'ipns').ipnsValidator(Buffer.from(key, 'base64'), bytes)
    const r = ipns.unmarshalIPNSRecord(bytes)
    return {
      value: r.value,
      sequence: r.sequence.toString(),
      validity: r.validity,
      ttl: r.ttl == null ? null : r.ttl.toString(),
      v1: r.signatureV1 != null
    }
  },
  // Signs a record with a new Ed25519 key (or the one of seed, base64), valid for lifetimeMs or until expiration
  // (RFC 3339): createIPNSRecord / createIPNSRecordWithExpiration, then marshalIPNSRecord.
  async 'ipns-create' ({ value, seq, lifetimeMs, expiration, ttlNs, v1Compatible, seed }) {
    const { generateKeyPair, generateKeyPairFromSeed } = await import('@libp2p/crypto/keys')
    const { peerIdFromPrivateKey } = await import('@libp2p/peer-id')
    const key = seed ? await generateKeyPairFromSeed('Ed25519', Buffer.from(seed, 'base64')) : await generateKeyPair('Ed25519')
    const options = { v1Compatible: v1Compatible !== false, ttlNs: BigInt(ttlNs ?? 300000000000) }
    const r = expiration
      ? await need(ipns, 'ipns').createIPNSRecordWithExpiration(key, value, BigInt(seq), expiration, options)
      : await need(ipns, 'ipns').createIPNSRecord(key, value, BigInt(seq), Number(lifetimeMs), options)
    const id = peerIdFromPrivateKey(key)
    return {
      name: id.toString(),
      key: Buffer.from(ipns.multihashToIPNSRoutingKey(id.toMultihash())).toString('base64'),
      record: Buffer.from(ipns.marshalIPNSRecord(r)).toString('base64'),
      validity: r.validity
    }
  },
  // Resolves a name (peer id) with @helia/ipns's resolver over Helia's routing (the DHT when started with kad).
  async 'ipns-resolve' ({ name }, signal) {
    const { ipnsResolver } = await import('@helia/ipns')
    const resolver = ipnsResolver(need(helia, 'helia'))
    for await (const r of resolver.resolve(peerIdFromString(name).toCID(), { signal, nocache: true })) {
      return { value: r.value, sequence: r.record.sequence.toString(), validity: r.record.validity }
    }
    return { value: null }
  },
  // The index ipnsSelector picks among records (base64) for a routing key.
  async 'ipns-select' ({ key, records }) {
    return { index: need(ipnsSelectors, 'ipns').ipnsSelector(Buffer.from(key, 'base64'), records.map((r) => Buffer.from(r, 'base64'))) }
  },
  // --- Helia ---
  async putRaw ({ data }) {
    const bytes = Buffer.from(data, 'base64')
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    await need(helia, 'helia').blockstore.put(cid, bytes)
    return { cid: cid.toString() }
  },
  async addFile ({ seed, size, chunk }) {
    const { fixedSize } = await import('ipfs-unixfs-importer/chunker')
    const bytes = content(seed, size)
    const opts = chunk ? { chunker: fixedSize({ chunkSize: chunk }) } : {}
    const cid = await need(fs, 'helia').addBytes(bytes, opts)
    return { cid: cid.toString(), sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length }
  },
  // Adds files (each {path, seed, size}) under one wrapping directory with @helia/unixfs addAll; directories
  // whose links exceed shardSplitThresholdBytes become HAMT shards. Answers the root and every entry's CID.
  async addTree ({ files, shardSplitThresholdBytes }) {
    const entries = files.map((f) => ({ path: f.path, content: content(f.seed, f.size) }))
    const opts = { wrapWithDirectory: true }
    if (shardSplitThresholdBytes != null) opts.shardSplitThresholdBytes = Number(shardSplitThresholdBytes)
    const out = []
    for await (const e of need(fs, 'helia').addAll(entries, opts)) out.push({ path: e.path, cid: e.cid.toString() })
    const sha = {}
    for (const e of entries) sha[e.path] = createHash('sha256').update(e.content).digest('hex')
    return { root: out[out.length - 1].cid, entries: out, sha256: sha }
  },
  // Announces a CID through Helia's routers (the DHT when started with kad).
  async provideCid ({ cid }, signal) {
    await need(helia, 'helia').routing.provide(CID.parse(cid), { signal })
    return {}
  },
  async get ({ cid }, signal) {
    const parts = []
    for await (const p of need(helia, 'helia').blockstore.get(CID.parse(cid), { signal })) parts.push(p)
    return { data: Buffer.concat(parts).toString('base64') }
  },
  // The bytes of the UnixFS file at cid (or at path under the directory cid) with @helia/unixfs cat.
  async cat ({ cid, path }, signal) {
    const h = createHash('sha256')
    let size = 0
    const started = performance.now()
    for await (const buf of need(fs, 'helia').cat(CID.parse(cid), { signal, path })) {
      h.update(buf)
      size += buf.length
    }
    return { sha256: h.digest('hex'), size, ms: performance.now() - started }
  },
  // Lists the UnixFS directory at cid (or at path under it), flat or HAMT-sharded, with @helia/unixfs ls:
  // the entry count, the first names, and a sha256 over the sorted "name cid size" lines.
  async ls ({ cid, path }, signal) {
    const lines = []
    for await (const e of need(fs, 'helia').ls(CID.parse(cid), { signal, path })) lines.push(`${e.name} ${e.cid} ${e.size}`)
    lines.sort()
    return { count: lines.length, first: lines.slice(0, 3), sha256: createHash('sha256').update(lines.join('\n')).digest('hex') }
  },
  async has ({ cid }) {
    return { has: await need(helia, 'helia').blockstore.has(CID.parse(cid)) }
  },
  async cpu () {
    const u = process.cpuUsage()
    return { micros: u.user + u.system }
  },
  async stop () {
    await (helia ?? node).stop()
    setTimeout(() => process.exit(0), 10)
    return {}
  }
}

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
  const h = handlers[cmd.cmd]
  if (h == null) {
    out({ event: 'error', id: cmd.id, error: 'unknown command ' + cmd.cmd })
    return
  }
  try {
    const signal = AbortSignal.timeout(Number(cmd.timeoutMs ?? 30000))
    out({ event: 'result', id: cmd.id, ...(await h(cmd, signal)) })
  } catch (e) {
    out({ event: 'error', id: cmd.id, error: String(e && e.stack ? e.stack : e) })
  }
})
rl.on('close', async () => {
  await (helia ?? node).stop()
  process.exit(0)
})
