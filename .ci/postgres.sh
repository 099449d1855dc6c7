# Sourced by .ci/test.sh: a throwaway PostgreSQL 15 cluster on 127.0.0.1, owned by an
# unprivileged user, exported to the tests as KERBSIDE_TEST_PG (a libpq URL).
# KERBSIDE_PG_PORT picks the port (55432); KERBSIDE_PG_FSYNC=on makes it durable (the tests run
# with fsync off for speed; tests/bench/run.sh turns it on for bench_postgres).
start_throwaway_postgres() {
  local bin=/usr/lib/postgresql/15/bin
  if [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL 15 not installed; PostgreSQL tests will skip" >&2
    return 0
  fi
  PG_DIR=$(mktemp -d /tmp/kerbside-pg.XXXXXX)
  PG_PORT=${KERBSIDE_PG_PORT:-55432}
  local runas=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_DIR"
    runas=(runuser -u postgres --)
  fi
  "${runas[@]}" "$bin/initdb" -D "$PG_DIR/data" -U kerbside --auth=trust -E UTF8 >/dev/null
  "${runas[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=${KERBSIDE_PG_FSYNC:-off}" -l "$PG_DIR/log" -w start >/dev/null
  export KERBSIDE_TEST_PG="postgresql://kerbside@127.0.0.1:$PG_PORT/postgres"
  export PG_DIR PG_PORT
  echo "PostgreSQL test cluster on port $PG_PORT"
}

stop_throwaway_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  local runas=()
  [ "$(id -u)" -eq 0 ] && runas=(runuser -u postgres --)
  "${runas[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
