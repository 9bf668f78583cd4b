# Sourced by ./ipdm, ./test.sh and .ci/run: finds a JDK 21+ and exports JAVA_HOME.
# Order: $IPDM_JAVA_HOME, $JAVA_HOME, then any JDK under /usr/lib/jvm and /opt, newest first.
ipdm_java_version() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n1
}
ipdm_find_java() {
  local cand v
  for cand in "${IPDM_JAVA_HOME:-}" "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* /opt/*jdk* /opt/java/* 2>/dev/null | sort -rV); do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$(ipdm_java_version "$cand/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$cand"; return 0; fi
  done
  return 1
}
if ! IPDM_JDK=$(ipdm_find_java); then
  echo "ipdm: no JDK 21+ found (looked at \$IPDM_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm/*, /opt)." >&2
  echo "ipdm: install one (e.g. Temurin 25) and run: export IPDM_JAVA_HOME=/path/to/jdk" >&2
  exit 2
fi
export JAVA_HOME="$IPDM_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
