#!/usr/bin/env bash
# Tools to build the WebAssembly SDKs and corpus (wasm-udf/corpus/rebuild.sh) and run their tests.
# rustc: Debian's 1.63 with the wasm32 std (a rustup rustc in PATH usually lacks wasm32; we call /usr/bin/rustc).
set -euo pipefail
cd "$(dirname "$0")/../.."
apt_install clang lld wabt rustc libstd-rust-dev-wasm32
if [ -f wasm-udf/sdk/assemblyscript/package-lock.json ]; then
  (cd wasm-udf/sdk/assemblyscript && npm ci --no-audit --no-fund --loglevel=error)
fi
