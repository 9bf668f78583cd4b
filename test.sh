#!/usr/bin/env bash
# Runs the whole test suite: builds every module, runs unit and integration tests, checks formatting.
# Extra arguments go to Maven, e.g. ./test.sh -pl mesh -am
set -euo pipefail
cd "$(dirname "$0")"
. bin/java-env.sh
echo "test.sh: using JDK at $JAVA_HOME" >&2
exec mvn -B -ntp verify "$@"
