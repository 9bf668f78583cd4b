#!/usr/bin/env bash
# getBlock decode bench (GetBlockDecodeBench, one JVM per encoding and case) from a snapshot of the build,
# so a rebuild in the worktree cannot change a run midway.
#
#   connectors/getblock-bench.sh snapshot DIR            # build connectors (test scope), copy its classes,
#                                                        # its modules' classes and the classpath into DIR
#   connectors/getblock-bench.sh run DIR [BASE] [-Dbench.x=y ...]
#                                                        # run DIR's build under /work/bench.lock (when that
#                                                        # file exists), uptime before and after; with BASE
#                                                        # (another snapshot) every scanner case also on
#                                                        # BASE's classes ("vs base"); add
#                                                        # -Dbench.paired=true to run both builds
#                                                        # in one JVM per case, alternating
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/java-env.sh
cmd=${1:?usage: $0 snapshot DIR | run DIR [BASE] [-D...]}
dir=${2:?usage: $0 snapshot DIR | run DIR [BASE] [-D...]}
case "$cmd" in
snapshot)
  mkdir -p "$dir"
  mvn -q -B -o -ntp -pl connectors -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
    -Dmdep.outputFile="$dir/module-cp.txt" -Dmdep.includeScope=test
  rm -rf "$dir/classes"
  mkdir -p "$dir/classes"
  cp -r connectors/target/test-classes "$dir/classes/connectors-test"
  cp -r connectors/target/classes "$dir/classes/connectors"
  for m in multiformats lava-lakes mesh; do cp -r "$m/target/classes" "$dir/classes/$m"; done
  # the module directories of the reactor are replaced by their copies
  deps=$(tr ':' '\n' < "$dir/module-cp.txt" | grep -v '/target/classes$' | paste -sd:)
  echo "$dir/classes/connectors:$dir/classes/multiformats:$dir/classes/lava-lakes:$dir/classes/mesh:$deps" > "$dir/main-cp"
  git rev-parse --short HEAD > "$dir/commit"
  git status --porcelain --untracked-files=no | grep -q . && echo "+uncommitted" >> "$dir/commit"
  echo "snapshot of $(paste -sd' ' "$dir/commit") in $dir"
  ;;
run)
  shift 2
  base=""
  if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then base=$1; shift; fi
  args=(-Dipdm.shared.data="${IPDM_SHARED_DATA:-../shared/data}")
  [ -n "$base" ] && args+=(-Dbench.baseline="$(cat "$base/main-cp")")
  lock=()
  [ -e /work/bench.lock ] && lock=(flock /work/bench.lock)
  "${lock[@]}" bash -c 'uptime; "$@"; uptime' _ java -Xmx1g "${args[@]}" "$@" \
    -cp "$dir/classes/connectors-test:$(cat "$dir/main-cp")" io.ipdm.connectors.solana.bench.GetBlockDecodeBench
  echo "build: $(paste -sd' ' "$dir/commit")${base:+, baseline: $(paste -sd' ' "$base/commit")}"
  ;;
*) echo "usage: $0 snapshot DIR | run DIR [BASE] [-D...]" >&2; exit 2 ;;
esac
