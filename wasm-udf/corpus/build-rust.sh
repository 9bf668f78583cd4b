#!/usr/bin/env bash
# Builds one Rust module: build-rust.sh SRC.rs OUT.wasm, with Debian's rustc (1.63) and its wasm32 std
# (libstd-rust-dev-wasm32). /usr/bin/rustc on purpose: a rustup rustc in PATH usually has no wasm32.
# The SDK (sdk/rust, crate `ipdm`) is built first as an rlib and passed with --extern, as cargo would.
# Deterministic: paths are remapped, symbols stripped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"   # wasm-udf: source paths in panic messages start at ipdm/
src="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
flags=(--edition 2021 --target wasm32-unknown-unknown -C opt-level=3 -C panic=abort -C codegen-units=1
  --remap-path-prefix="$root=ipdm" -D warnings)
/usr/bin/rustc "${flags[@]}" --crate-type rlib --crate-name ipdm -o "$tmp/libipdm.rlib" \
  "$root/sdk/rust/src/lib.rs"
/usr/bin/rustc "${flags[@]}" --crate-type cdylib -C lto -C strip=symbols \
  -C link-arg=--initial-memory=262144 -C link-arg=-zstack-size=65536 \
  --extern ipdm="$tmp/libipdm.rlib" -o "$tmp/out.wasm" "$src"
cp "$tmp/out.wasm" "$2"
chmod 644 "$2"
