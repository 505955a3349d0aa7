#!/usr/bin/env bash
# Prints an access token for a person of the sample city, from the local platform's identity service, by the
# same login a browser does (authorization code with PKCE, through the login form). For the local demo only.
#
#   TOKEN=$(deploy/local/login.sh supervisor.410105001000)
#   curl -H "Authorization: Bearer $TOKEN" http://localhost:8080/api/units/410105001000/cases
#
# usage: deploy/local/login.sh <username> [password]
#   The password defaults to the demo password of the username's role (seeds/README.md, "People").
#   GRIDLINK_ISSUER: the identity service, default http://localhost:9000 (run-local.sh --identity-port=...).
# Needs Java 17 and the identity service's jar (run-local.sh builds it).
set -euo pipefail
home="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$home/identity/target/gridlink-identity-0.1.0-SNAPSHOT-exec.jar"

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  sed -n '2,11s/^# \{0,1\}//p' "$0" >&2
  exit 2
fi
username=$1
if [ $# -eq 2 ]; then
  password=$2
else
  case "$username" in
    gridworker.*|gridleader.*) password=grid-worker-demo ;;
    handler.*) password=handler-demo ;;
    supervisor.*) password=supervisor-demo ;;
    officer.*) password=department-officer-demo ;;
    leader.*) password=leader-demo ;;
    admin.*) password=admin-demo ;;
    citizen.*) password=citizen-demo ;;
    *) echo "no demo password known for $username; pass it: $0 $username <password>" >&2; exit 2 ;;
  esac
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java" # as run-local.sh picks it
command -v "$java" >/dev/null 2>&1 || { echo "needs Java 17 or newer (JAVA_HOME or the PATH)" >&2; exit 1; }
[ -f "$jar" ] || { echo "missing $jar: build it first (./run-local.sh does, or ./mvnw -B -DskipTests package)" >&2; exit 1; }

# PkceLogin is plain JDK code inside the Boot jar; PropertiesLauncher runs it without starting the app
exec "$java" -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dloader.main=org.gridlink.identity.client.PkceLogin \
  -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher \
  "$username" "$password" "${GRIDLINK_ISSUER:-http://localhost:9000}"
