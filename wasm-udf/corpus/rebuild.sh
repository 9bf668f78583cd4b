#!/usr/bin/env bash
# Rebuilds every module of the corpus from its source, next to the source (NAME.c -> NAME.wasm).
#   ./rebuild.sh          rebuild in place
#   ./rebuild.sh --check  build into a temp dir and fail if any byte differs from the committed .wasm
# Tools: clang + lld (C), /usr/bin/rustc with the wasm32 std (Rust), npm ci in sdk/assemblyscript (AS);
# .ci/setup.d/wasm-udf.sh installs them. Builds are deterministic: same tools, same bytes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
check=0; [ "${1:-}" = "--check" ] && check=1
out_dir="$here"
if [ $check = 1 ]; then out_dir="$(mktemp -d)"; trap 'rm -rf "$out_dir"' EXIT; fi

built=()
build() { # build KIND SRC -> OUT path relative to corpus
  local kind=$1 src=$2 rel="${2%.*}.wasm"
  mkdir -p "$out_dir/$(dirname "$rel")"
  case $kind in
    c) ./build-c.sh "$src" "$out_dir/$rel" ;;
    rust) ./build-rust.sh "$src" "$out_dir/$rel" ;;
    as) ./build-as.sh "$src" "$out_dir/$rel" ;;
  esac
  built+=("$rel")
}

for f in c/*.c hostile/*.c; do build c "$f"; done
for f in rust/*.rs hostile/*.rs; do [ -e "$f" ] && build rust "$f"; done
for f in assemblyscript/*.ts; do [ -e "$f" ] && build as "$f"; done

if [ $check = 1 ]; then
  bad=0
  for rel in "${built[@]}"; do
    if ! cmp -s "$out_dir/$rel" "$here/$rel"; then
      echo "corpus: $rel differs from a fresh build of its source (run wasm-udf/corpus/rebuild.sh and commit)" >&2
      bad=1
    fi
  done
  [ $bad = 0 ] && echo "corpus: ${#built[@]} modules rebuilt, all bytes identical"
  exit $bad
fi
echo "corpus: rebuilt ${#built[@]} modules"
