#!/usr/bin/env bash
# PostgreSQL server binaries for the postgres sink tests (they run initdb and postgres themselves,
# on a free loopback port in a temporary directory; the packaged cluster is not used).
set -euo pipefail
apt_install postgresql
