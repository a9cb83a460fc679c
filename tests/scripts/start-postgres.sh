#!/usr/bin/env bash
# Starts Debian's PostgreSQL on 127.0.0.1 and makes sure the test role exists.
# Prints the connection string the storage tests use (VIDEOLINK_TEST_POSTGRES).
set -euo pipefail
PGUSER_NAME=videolink_test
PGPASS=videolink_test
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  if su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
su postgres -c "psql -qtAc \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='$PGUSER_NAME') THEN CREATE ROLE $PGUSER_NAME LOGIN CREATEDB PASSWORD '$PGPASS'; END IF; END\\\$\\\$;\"" >/dev/null
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
echo "Host=127.0.0.1;Port=$port;Username=$PGUSER_NAME;Password=$PGPASS;Database=postgres"
