# Shared by scripts/test and scripts/dev-services: install what is missing, start throw-away services on free
# loopback ports, stop them again. Source it; it defines functions only.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs the Debian packages the tests need, only those missing.
ensure_packages() {
  local need=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  { command -v fc-list >/dev/null && fc-list | grep -qi 'Noto Sans CJK'; } || need+=(fonts-noto-cjk)
  if [ ${#need[@]} -gt 0 ]; then
    echo "Installing: ${need[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}

# A TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Starts a private PostgreSQL in a temp folder owned by the postgres user; sets PG_DIR, PG_PORT, PG_BIN.
pg_start() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_PORT=$(free_port)
  PG_DIR=$(mktemp -d /tmp/kitashin-pg.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DIR"; fi
  pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log"
  # fsync off: a test database is thrown away anyway, and it makes the suite faster.
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=
}

# initdb refuses to run as root: run the server as the postgres user.
pg_as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
