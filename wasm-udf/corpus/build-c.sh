#!/usr/bin/env bash
# Builds one C module: build-c.sh SRC.c OUT.wasm. Deterministic: same clang, same bytes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
clang --target=wasm32 -O2 -nostdlib -ffreestanding -mbulk-memory \
  -I "$here/../sdk/c" -Wall -Werror \
  -Wl,--no-entry -Wl,--strip-debug -Wl,-z,stack-size=65536 -Wl,--initial-memory=262144 \
  -o "$2" "$1"
chmod 644 "$2"
