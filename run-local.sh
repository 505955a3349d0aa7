#!/usr/bin/env bash
# Starts the whole gridlink platform on this machine, no Docker needed: the identity service (login, tokens),
# an embedded PostgreSQL 17 server (a database per tier), a Kafka 4.1 broker (a child JVM), the four tier
# nodes, the gateway and console. Builds first when a jar is missing or older than the sources. Ctrl-C stops
# everything. A token for curl: TOKEN=$(deploy/local/login.sh supervisor.410105001000)
#
# Options: --fresh (wipe .gridlink/ first), --gateway-port=8080, --identity-port=9000, --pg-port=15432,
#          --kafka-port=19092 (Kafka's controller uses the next port), --node-port=8081 (the community node;
#          township, district and city take the next three), --heap=256m (per node), --data=<dir> (default .gridlink)
set -euo pipefail
cd "$(dirname "$0")"

# the JDK that JAVA_HOME names (as ./mvnw uses it), else the java on the PATH: Java 17 or newer; every JVM of the
# platform runs on the same one
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$java" >/dev/null 2>&1 || { echo "[gridlink] needs Java 17 or newer (JAVA_HOME or the PATH)" >&2; exit 1; }

launcher=deploy/local/target/gridlink-local.jar
version=0.1.0-SNAPSHOT
jars=("$launcher" "gateway/target/gridlink-gateway-$version-exec.jar" "identity/target/gridlink-identity-$version-exec.jar")
for tier in community township district city; do
  jars+=("services/$tier/target/gridlink-$tier-$version-exec.jar")
done

build=no
for jar in "${jars[@]}"; do
  [ -f "$jar" ] || { build=yes; break; }
done
if [ "$build" = no ] && [ -n "$(find services gateway identity security contracts seeds deploy/local/src pom.xml \
    -newer "$launcher" -type f -not -path '*/target/*' -print -quit)" ]; then
  build=yes
fi
if [ "$build" = yes ]; then
  echo "[gridlink] building: ./mvnw -B -q -DskipTests install ..."
  ./mvnw -B -q -DskipTests install
  touch "$launcher" # Maven leaves an unchanged jar alone; mark the build as newer than the sources
fi

exec "$java" -Xmx256m -XX:+UseSerialGC -jar "$launcher" --home="$PWD" "$@"
