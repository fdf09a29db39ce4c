#!/usr/bin/env bash
# Makes sure the local PostgreSQL server the data-access suite uses is up and has its `test` database
# (postgres://postgres@127.0.0.1:5432/test). Idempotent and quiet when all is well.
set -euo pipefail

HOST=127.0.0.1
PORT=5432
DB=test

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "PostgreSQL client tools are missing (pg_isready); install Debian's 'postgresql' package to run the PostgreSQL tests." >&2
  exit 1
fi

if ! pg_isready -q -h "$HOST" -p "$PORT"; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is not running on $HOST:$PORT and starting it needs root: run 'sudo pg_ctlcluster <version> main start' and try again." >&2
    exit 1
  fi
  versions=$(ls /etc/postgresql 2>/dev/null || true)
  if [ -z "$versions" ]; then
    echo "PostgreSQL is not running on $HOST:$PORT and no cluster is configured under /etc/postgresql; install Debian's 'postgresql' package." >&2
    exit 1
  fi
  # The newest installed major version; `ls` sorts 9.6 after 15, so sort numerically.
  version=$(printf '%s\n' $versions | sort -n | tail -n 1)
  echo "Starting PostgreSQL $version (cluster main)..."
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do
    pg_isready -q -h "$HOST" -p "$PORT" && break
    sleep 1
  done
  if ! pg_isready -q -h "$HOST" -p "$PORT"; then
    echo "PostgreSQL $version was started but does not accept connections on $HOST:$PORT after 30 s; see /var/log/postgresql/postgresql-$version-main.log." >&2
    exit 1
  fi
fi

exists=$(psql -h "$HOST" -p "$PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" 2>&1) || {
  echo "Cannot connect to PostgreSQL on $HOST:$PORT as user postgres: $exists" >&2
  exit 1
}
if [ "$exists" != "1" ]; then
  createdb -h "$HOST" -p "$PORT" -U postgres "$DB"
  echo "Created PostgreSQL database '$DB'."
fi
