#!/usr/bin/env bash
# Builds one AssemblyScript module: build-as.sh SRC.ts OUT.wasm, with the pinned compiler in
# sdk/assemblyscript (npm ci there first), then appends SRC.abi.json as the "ipdm.abi" section.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sdk="$here/../sdk/assemblyscript"
asc="$sdk/node_modules/.bin/asc"
if [ ! -x "$asc" ]; then
  echo "build-as.sh: AssemblyScript is not installed; run: (cd wasm-udf/sdk/assemblyscript && npm ci)" >&2
  exit 2
fi
src="$1"; out="$2"
# relative paths only, so the binary does not depend on where the repository is
cd "$here"
"$asc" "$src" --outFile "$out" --runtime stub --optimize --noAssert \
  --use abort=../sdk/assemblyscript/ipdm/ipdmAbort >/dev/null
node "$sdk/add-section.mjs" "$out" ipdm.abi "${src%.ts}.abi.json"
chmod 644 "$out"
