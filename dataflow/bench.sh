#!/usr/bin/env bash
# Builds the dataflow module and runs CompiledVsHandWrittenBench (compiled YAML job vs hand-written
# DataStream job, same run). Arguments: [slots] [rounds] (default 4000 slots x 1500 tx, 3 rounds).
# Run it under the shared benchmark lock: flock /work/bench.lock dataflow/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/java-env.sh
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -q -B -pl dataflow -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file"
opens=$(sed -n 's:.*<ipdm.jvm.opens>\(.*\)</ipdm.jvm.opens>.*:\1:p' pom.xml)
classes=dataflow/target/test-classes:dataflow/target/classes:connectors/target/classes
classes=$classes:operators/target/classes:wasm-udf/target/classes:lava-lakes/target/classes
classes=$classes:mesh/target/classes
uptime
# shellcheck disable=SC2086 # the opens list is several JVM flags
java $opens -Xmx2g -cp "$classes:$(cat "$cp_file")" \
  io.ipdm.dataflow.bench.CompiledVsHandWrittenBench "$@" | grep -v '^==\|^  '
uptime
