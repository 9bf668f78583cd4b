#!/usr/bin/env bash
# Scaffold benchmarks (docs/BENCHMARKS.md, "WebAssembly module scaffolds"): builds, then runs ScaffoldBench.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/java-env.sh
mvn -q -B -o -pl operators -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
opens=$(sed -n 's:.*<ipdm.jvm.opens>\(.*\)</ipdm.jvm.opens>.*:\1:p' pom.xml)
cp="operators/target/test-classes:operators/target/classes:wasm-udf/target/classes:$(cat operators/target/bench-classpath.txt)"
# shellcheck disable=SC2086
exec java -Xmx2g $opens -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI \
  --upgrade-module-path=wasm-udf/target/graal-compiler -Dlog4j2.level=WARN \
  -cp "$cp" io.ipdm.operators.wasm.bench.ScaffoldBench wasm-udf/corpus
