#!/usr/bin/env bash
# npm packages for the Lava Lakes tests and benchmarks (pinned by package-lock.json): the trustless gateway clients
# (@ipld/car, Helia's @helia/verified-fetch) and the CommP baseline. The Helia peer for Bitswap is mesh's (mesh.sh).
set -euo pipefail
cd "$(dirname "$0")/../../lava-lakes/src/test/js"
npm ci --no-audit --no-fund
