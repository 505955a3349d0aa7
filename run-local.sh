#!/usr/bin/env bash
# Starts the whole gridlink platform locally: embedded PostgreSQL, a Kafka broker, the four tier nodes,
# the gateway and console, with the sample seeds. Builds first when the jars are missing or stale.
# Options: --fresh (wipe .gridlink/), --gateway-port=8080, --pg-port=15432, --kafka-port=19092, --heap=256m
set -euo pipefail
cd "$(dirname "$0")"

launcher=deploy/local/target/gridlink-local.jar
jars=(services/community services/township services/district services/city gateway)
build=no
[ -f "$launcher" ] || build=yes
for m in "${jars[@]}"; do
  ls "$m"/target/*-exec.jar >/dev/null 2>&1 || build=yes
done
if [ "$build" = no ] && [ -n "$(find services gateway contracts seeds deploy/local/src pom.xml -newer "$launcher" -type f -not -path '*/target/*' -print -quit)" ]; then
  build=yes
fi
if [ "$build" = yes ]; then
  echo "[gridlink] building (./mvnw -B -q -DskipTests install) ..."
  ./mvnw -B -q -DskipTests install
fi
exec java -jar "$launcher" --home="$PWD" "$@"
