#!/usr/bin/env bash
# js-libp2p peers for the mesh interop tests (pinned by package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/../../mesh/src/test/js"
npm ci --no-audit --no-fund
