// A Helia node (libp2p over TCP + Bitswap, nothing else: no routers, no gateways) driven by JSON
// lines on stdin; answers with JSON lines on stdout. Used by the Bitswap interop tests and the
// transfer benchmark. Loopback only.
if (typeof Promise.withResolvers !== 'function') {
  // Node 20 lacks Promise.withResolvers, which libp2p 3 and Helia 7 use.
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
const { createHeliaLight } = await import('helia')
const { withLibp2pLight } = await import('@helia/libp2p')
const { withBitswap } = await import('@helia/bitswap')
const { unixfs } = await import('@helia/unixfs')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { multiaddr } = await import('@multiformats/multiaddr')
const { fixedSize } = await import('ipfs-unixfs-importer/chunker')
const { CID } = await import('multiformats/cid')
const raw = await import('multiformats/codecs/raw')
const { sha256 } = await import('multiformats/hashes/sha2')
const { createHash } = await import('node:crypto')
const readline = await import('node:readline')

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')

const helia = withBitswap(withLibp2pLight(createHeliaLight({ start: false }), {
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify() }
}))
await helia.start()
const fs = unixfs(helia)

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

async function collect (gen) {
  const parts = []
  for await (const p of gen) parts.push(p)
  return Buffer.concat(parts)
}

const handlers = {
  async dial ({ addr }) {
    const conn = await helia.libp2p.dial(multiaddr(addr))
    return { peer: conn.remotePeer.toString() }
  },
  async putRaw ({ data }) {
    const bytes = Buffer.from(data, 'base64')
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    await helia.blockstore.put(cid, bytes)
    return { cid: cid.toString() }
  },
  async addFile ({ seed, size, chunk }) {
    const bytes = content(seed, size)
    const opts = chunk ? { chunker: fixedSize({ chunkSize: chunk }) } : {}
    const cid = await fs.addBytes(bytes, opts)
    return { cid: cid.toString(), sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length }
  },
  async get ({ cid, timeoutMs }) {
    const bytes = await collect(helia.blockstore.get(CID.parse(cid), { signal: AbortSignal.timeout(timeoutMs ?? 30000) }))
    return { data: bytes.toString('base64') }
  },
  async cat ({ cid, timeoutMs }) {
    const h = createHash('sha256')
    let size = 0
    const started = performance.now()
    for await (const buf of fs.cat(CID.parse(cid), { signal: AbortSignal.timeout(timeoutMs ?? 60000) })) {
      h.update(buf)
      size += buf.length
    }
    return { sha256: h.digest('hex'), size, ms: performance.now() - started }
  },
  async cpu () {
    const u = process.cpuUsage()
    return { micros: u.user + u.system }
  },
  async has ({ cid }) {
    return { has: await helia.blockstore.has(CID.parse(cid)) }
  },
  async stop () {
    await helia.stop()
    setTimeout(() => process.exit(0), 10)
    return {}
  }
}

out({ event: 'ready', peerId: helia.libp2p.peerId.toString(), addrs: helia.libp2p.getMultiaddrs().map(String) })

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
    out({ event: 'result', id: cmd.id, ...(await h(cmd)) })
  } catch (e) {
    out({ event: 'error', id: cmd.id, error: String(e && e.stack ? e.stack : e) })
  }
})
rl.on('close', () => process.exit(0))
