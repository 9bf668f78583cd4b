#!/usr/bin/env bash
# npm clients for the Lava Lakes gateway interop test and the CommP benchmark (pinned by package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/../../lava-lakes/src/test/js"
npm ci --no-audit --no-fund
