#!/usr/bin/env bash
# Starts Debian's PostgreSQL on 127.0.0.1 and makes sure the test role exists and can log in over TCP.
# Prints the connection string the storage tests use (VIDEOLINK_TEST_POSTGRES) on stdout; diagnostics on stderr.
set -euo pipefail
PGUSER_NAME=videolink_test
PGPASS=videolink_test
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
log() { echo "start-postgres: $*" >&2; }

as_postgres() { su postgres -s /bin/sh -c "$1"; }

if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main"' | grep -q .; then
  log "creating cluster $version/main"
  pg_createcluster "$version" main >/dev/null
fi

ready() { as_postgres "psql -qtAc 'select 1'" >/dev/null 2>&1; }
if ! ready; then
  # A stale pid file (copied machine, killed server) makes pg_lsclusters lie: (re)start whatever it says.
  pg_ctlcluster "$version" main stop -m fast >/dev/null 2>&1 || true
  pg_ctlcluster "$version" main start >&2 || log "pg_ctlcluster start failed"
fi
for _ in $(seq 1 30); do ready && break; sleep 1; done
if ! ready; then
  log "PostgreSQL did not come up"; pg_lsclusters >&2 || true
  tail -20 "/var/log/postgresql/postgresql-$version-main.log" >&2 || true
  exit 1
fi

as_postgres "psql -qtAc \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='$PGUSER_NAME') THEN CREATE ROLE $PGUSER_NAME LOGIN CREATEDB PASSWORD '$PGPASS'; ELSE ALTER ROLE $PGUSER_NAME LOGIN CREATEDB PASSWORD '$PGPASS'; END IF; END\\\$\\\$;\"" >/dev/null
port=$(as_postgres "psql -qtAc 'show port'")

# Prove the exact login the tests use: TCP to 127.0.0.1 with the password.
if ! PGPASSWORD=$PGPASS psql "host=127.0.0.1 port=$port user=$PGUSER_NAME dbname=postgres connect_timeout=5" -qtAc 'select 1' >/dev/null 2>&1; then
  log "TCP login to 127.0.0.1:$port failed"
  PGPASSWORD=$PGPASS psql "host=127.0.0.1 port=$port user=$PGUSER_NAME dbname=postgres connect_timeout=5" -qtAc 'select 1' >&2 || true
  pg_lsclusters >&2 || true
  exit 1
fi
log "PostgreSQL $version ready on 127.0.0.1:$port"
echo "Host=127.0.0.1;Port=$port;Username=$PGUSER_NAME;Password=$PGPASS;Database=postgres"
