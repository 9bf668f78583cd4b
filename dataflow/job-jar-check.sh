#!/usr/bin/env bash
# Builds dataflow/target/ipdm-job.jar (profile job-jar) and proves it with Flink's own CLI:
# JobJarIT starts a session cluster whose classpath holds only Flink and its dependencies, runs
# `CliFrontend run -m localhost:PORT ipdm-job.jar <pipeline.yaml>` and compares the job's files with
# `ipdm run` of the same YAML. About a minute on an idle machine after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/java-env.sh
mvn -B -ntp "$@" -Pjob-jar package -pl dataflow -am -DskipTests
mvn -B -ntp "$@" -pl dataflow -am test -Dtest=JobJarIT -Dsurefire.failIfNoSpecifiedTests=false
