#!/usr/bin/env bash
# npm packages for the Lava Lakes tests and benchmarks (pinned by package-lock.json): the gateway interop
# client, the CommP baseline, and Helia 7 nodes for the Bitswap interop tests and transfer benchmark.
set -euo pipefail
cd "$(dirname "$0")/../../lava-lakes/src/test/js"
npm ci --no-audit --no-fund
