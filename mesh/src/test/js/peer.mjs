// A js-libp2p peer driven by JSON lines on stdin; reports JSON lines on stdout.
// Used by the Java interop tests and the benchmark. Loopback only.
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
const { gossipsub } = await import('@libp2p/gossipsub')
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')
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
    pubsub: gossipsub({
      allowPublishToZeroTopicPeers: true,
      emitSelf: false,
      globalSignaturePolicy: 'StrictSign',
      heartbeatInterval: 700
    })
  }
})

// Benchmark mode: payloads start with 'IPDMBENCH', then the send time (epoch ms, float64) and a counter.
const BENCH = Buffer.from('IPDMBENCH')
const bench = { received: 0, latencies: [] }
const nowMs = () => performance.timeOrigin + performance.now()

node.services.pubsub.addEventListener('message', (evt) => {
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
    data: Buffer.from(m.data).toString('base64'),
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
  try {
    switch (cmd.cmd) {
      case 'dial': {
        const c = await node.dial(multiaddr(cmd.addr))
        out({ event: 'dialed', id: cmd.id, peer: c.remotePeer.toString() })
        break
      }
      case 'ping': {
        const rtt = await node.services.ping.ping(peerIdFromString(cmd.peer))
        out({ event: 'pong', id: cmd.id, rtt })
        break
      }
      case 'peerinfo': {
        const p = await node.peerStore.get(peerIdFromString(cmd.peer))
        const agent = p.metadata.get('AgentVersion')
        out({
          event: 'peerinfo',
          id: cmd.id,
          protocols: p.protocols,
          agent: agent ? Buffer.from(agent).toString() : null,
          addrs: p.addresses.map((a) => a.multiaddr.toString())
        })
        break
      }
      case 'subscribe':
        node.services.pubsub.subscribe(cmd.topic)
        out({ event: 'subscribed', id: cmd.id, topic: cmd.topic })
        break
      case 'publish': {
        const r = await node.services.pubsub.publish(cmd.topic, Buffer.from(cmd.data, 'base64'))
        out({ event: 'published', id: cmd.id, recipients: r.recipients.length })
        break
      }
      case 'mesh':
        out({
          event: 'mesh',
          id: cmd.id,
          peers: node.services.pubsub.getMeshPeers(cmd.topic).map(String),
          subscribers: node.services.pubsub.getSubscribers(cmd.topic).map(String)
        })
        break
      case 'bench-reset':
        bench.received = 0
        bench.latencies = []
        out({ event: 'bench-reset', id: cmd.id })
        break
      case 'bench-burst': {
        // Publish count messages of size bytes, every intervalMs (0: as fast as publish resolves).
        const count = Number(cmd.count)
        const size = Number(cmd.size)
        const interval = Number(cmd.intervalMs)
        out({ event: 'bench-started', id: cmd.id })
        for (let i = 0; i < count; i++) {
          const buf = Buffer.alloc(size)
          BENCH.copy(buf, 0)
          buf.writeDoubleBE(nowMs(), 9)
          buf.writeBigUInt64BE(BigInt(i), 17)
          await node.services.pubsub.publish(cmd.topic, buf)
          if (interval > 0) await new Promise((resolve) => setTimeout(resolve, interval))
        }
        out({ event: 'bench-done', tag: cmd.tag })
        break
      }
      case 'bench-count':
        out({ event: 'bench-count', id: cmd.id, received: bench.received })
        break
      case 'bench-report':
        out({ event: 'bench-report', id: cmd.id, received: bench.received, latencies: bench.latencies })
        break
      case 'stop':
        await node.stop()
        out({ event: 'stopped', id: cmd.id })
        process.exit(0)
        break
      default:
        out({ event: 'error', id: cmd.id, error: 'unknown command ' + cmd.cmd })
    }
  } catch (e) {
    out({ event: 'error', id: cmd.id, error: String(e && e.message ? e.message : e) })
  }
})
rl.on('close', async () => {
  await node.stop()
  process.exit(0)
})
