#!/bin/sh
# Run a command with a throwaway PostgreSQL server: `scripts/test_postgres.sh CMD ARGS...`.
#
# Creates a cluster in a fresh temporary directory (initdb; as the `postgres` OS user when run as
# root, since initdb refuses root), listening only on 127.0.0.1 at a free port with trust auth,
# runs CMD with DISCLOSURE_CHECK_TEST_PG pointing at it, then stops the server and removes the
# directory whatever CMD did, and exits with CMD's status. Without PostgreSQL's binaries it runs
# CMD alone (the PostgreSQL cases of the store suite are then skipped) and says so.
set -u

bindir=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  bindir=$(dirname "$(command -v initdb)")
else
  # Debian keeps the server's binaries out of PATH, one directory per major version: take the newest.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do bindir=$dir; done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "note: PostgreSQL is not installed (no initdb): the store suite's PostgreSQL cases will be skipped" >&2
  exec "$@"
fi

python=${PYTHON:-python3}
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
work=$(mktemp -d "${TMPDIR:-/tmp}/disclosure-check-pg.XXXXXX")
as_owner=""
if [ "$(id -u)" = 0 ]; then
  chown postgres "$work"
  as_owner="runuser -u postgres --"
fi

stop() {
  $as_owner "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

if ! $as_owner "$bindir/initdb" -D "$work/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$work/initdb.log" 2>&1; then
  cat "$work/initdb.log" >&2
  echo "error: initdb failed" >&2
  exit 1
fi
# Loopback only, sockets in the throwaway directory; no fsync: the data is thrown away afterwards.
if ! $as_owner "$bindir/pg_ctl" -D "$work/data" -w -t 60 -l "$work/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c fsync=off -c max_connections=100" start >/dev/null; then
  cat "$work/server.log" >&2
  echo "error: the PostgreSQL server did not start" >&2
  exit 1
fi

DISCLOSURE_CHECK_TEST_PG="postgresql://postgres@127.0.0.1:$port/postgres"
export DISCLOSURE_CHECK_TEST_PG
echo "PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') for the tests at $DISCLOSURE_CHECK_TEST_PG"
"$@"
status=$?
exit $status
