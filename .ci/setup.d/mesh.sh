#!/usr/bin/env bash
# The JS test peer (mesh/src/test/js/peer.mjs: js-libp2p 3 with TCP and WebSockets (@libp2p/websockets, ws), gossipsub,
# kad-dht, Helia 7 with Bitswap, and the
# npm ipns package js kad-dht and Helia validate IPNS records with) that
# the mesh, lava-lakes and dataflow interop tests drive (pinned by package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/../../mesh/src/test/js"
npm ci --no-audit --no-fund
