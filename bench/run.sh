#!/usr/bin/env bash
# Runs gridlink's benchmark: builds what it needs, starts its own platform (embedded PostgreSQL, a Kafka broker, the
# identity service, the four nodes, the gateway and a bare WebFlux endpoint) on ports of its own (28000-28432 by
# default, clear of run-local.sh's), measures the machine's limits and gridlink against them, and writes
# bench/results/<date>.md with a latency plot beside it. See bench/README.md.
#
# usage: bench/run.sh [--quick] [--only=a,b] [--clients=8] [--chain-rate=50] [--chain-beside=0] [--chain-warmup=60] [--chain-measure=30]
#                     [--freshness-rate=100] [--records=1000000] [--reads-open-rate=250]
#                     [--port-base=28000] [--city=sample|DxTxCxG] [--batch-seed=7] [--node-args='--a=1;--b=2'] [--gateway-args='--a=1']
#                     [--jit=full|c1] [--jit-settle=480] [--profile] [--idempotency-keys]
#                     [--side-by-side-app=community|gateway] [--side-by-side-args='--a=1;--b=2']
#                     [--side-by-side-jar=path/to/gridlink-community-…-exec.jar (or -gateway-…)]
#        bench/run.sh --speed
#   --quick       short warm-ups and measurements (about 9 minutes in all, start-up and the million records included)
#   --only        some scenarios only, for iterating: bare, pgbench, kafka, intake, gateway, hotpaths, chain,
#                 freshness, idle, reads-1m; and side-by-side, which runs only when named
#   --clients     closed-loop clients for intake, reads and pgbench
#   --chain-rate  cases per second up the escalation chain (10 with --quick)
#   --chain-beside  reports per second of intake through the gateway beside the chain's measurement (0: none)
#   --chain-warmup, --chain-measure  seconds of the chain's warm-up (60; 4 with --quick) and measurement (30; 10)
#   --freshness-rate  cases per second of intake beside the roll-up freshness probes (20 with --quick)
#   --records     how many records the reads scenario loads into the community node
#   --reads-open-rate  pages a second of the queue page's open loop in reads-1m (default: half the closed loop's rate
#                 just measured), to compare two builds' tails at one rate; refused without reads-1m among the scenarios
#   --port-base   identity on it, gateway +80, nodes +81..+84, bare endpoint +90, Kafka +92/+93, PostgreSQL +432
#   --city        the sample city (default) or a generated one: districts x townships x communities x cells
#   --batch-seed  the seed of the CaseBatch whose planned cases the intake reports
#   --node-args   settings every node starts with besides the platform's own, separated by ';' (to try one)
#   --gateway-args  the same for the gateway
#   --jit         the platform's JVMs with the full tiered JIT (default) or C1 only
#   --jit-settle  at most this many seconds of a scenario's load before its measurement, until the platform's JIT
#                 compilers are quiet (intake, gateway, chain, freshness, reads-1m; 0 with --quick; 0 turns it off)
#   --profile     a JFR recording of every app in bench/target/run/jfr/
#   --side-by-side-args, --side-by-side-jar  side-by-side: two more community nodes, A as built and B with these
#                 settings added and/or from this jar (another build's), measured in alternated rounds, a case page read,
#                 a queue page read and a report; with neither, an A/A run
#   --side-by-side-app  side-by-side: community (the default) or gateway, two more gateways in front of the platform's
#                 nodes instead, each phase's gateway CPU per request compared
#   --idempotency-keys  every report with an Idempotency-Key of its own, as the console sends them (the gateway then
#                 sends it through its retries)
#   --speed       only how fast one core runs now (about 10 s, no platform), to see whether a shared host lets the
#                 machine run at its usual speed before a long run; every run measures it at its start and end
set -euo pipefail
cd "$(dirname "$0")/.."

# the JDK that JAVA_HOME names (as ./mvnw uses it), else the java on the PATH; the platform's JVMs run on the same one
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$java" >/dev/null 2>&1 || { echo "[bench] needs Java 17 or newer (JAVA_HOME or the PATH)" >&2; exit 1; }

# pgbench is the database baseline; Debian's postgresql-client has it. Without it the benchmark falls back to a
# JDBC loop and says so in the results.
if ! command -v pgbench >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[bench] installing pgbench (apt-get install postgresql-client) ..."
    apt-get install -y -q postgresql-client >/dev/null 2>&1 || echo "[bench] could not install pgbench; using JDBC"
  else
    echo "[bench] no pgbench (Debian: apt-get install postgresql-client); the database baseline will use JDBC"
  fi
fi

# the reactor build, never install: it builds the nodes', gateway's and identity's jars and the bench jar with its
# libraries in bench/target/lib
echo "[bench] building: ./mvnw -B -q -pl bench -am package -DskipTests ..."
./mvnw -B -q -pl bench -am package -DskipTests

# the driver's own GC pauses and safepoints too (a pause of the driver delays its sends and its probes' polls, which
# the open loop counts as latency): bench/target/driver-gc.log, outside run/, which the benchmark wipes at its start
exec "$java" -Xmx512m -XX:+UseSerialGC -Xlog:gc,safepoint:file=bench/target/driver-gc.log:time,uptime \
  -Djava.awt.headless=true -jar bench/target/gridlink-bench.jar --home="$PWD" "$@"
