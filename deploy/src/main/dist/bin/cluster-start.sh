#!/bin/sh
# Starts a local Kafka cluster of separate KRaft broker+controller processes on loopback ports,
# from the Kafka jars in ../lib (nothing is downloaded):
#   cluster-start.sh DIR [NODES]      (default 3 nodes; formats DIR on first use)
# Prints the bootstrap servers once every broker is up; cluster-stop.sh DIR stops them.
SMT_HOME=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "$JAVA_HOME" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
[ $# -ge 1 ] || { echo "usage: $0 DIR [NODES]" >&2; exit 2; }
exec "$JAVA" -Xmx128m -cp "$SMT_HOME/lib/*" org.smtstream.deploy.LocalCluster start "$@"
