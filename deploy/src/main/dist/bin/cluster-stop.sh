#!/bin/sh
# Stops the brokers that cluster-start.sh DIR started (controlled shutdown, then SIGKILL after 60 s).
# The data stays in DIR: cluster-start.sh DIR starts the same cluster again.
SMT_HOME=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "$JAVA_HOME" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
exec "$JAVA" -Xmx128m -cp "$SMT_HOME/lib/*" org.smtstream.deploy.LocalCluster stop "$1"
