# Shared by scripts/test and scripts/dev-services: install what is missing, start throw-away services on free
# loopback ports, stop them again. Source it; it defines functions only.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs the Debian packages the tests need, only those missing.
ensure_packages() {
  local need=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  { command -v fc-list >/dev/null && fc-list | grep -qi 'Noto Sans CJK'; } || need+=(fonts-noto-cjk)
  # The production smoke test's TLS-terminating reverse proxy.
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
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

# MailDev 3 from the npm registry, installed once into a cache folder outside the repo.
MAILDEV_HOME="${XDG_CACHE_HOME:-$HOME/.cache}/kitashin/maildev"

ensure_maildev() {
  [ -x "$MAILDEV_HOME/node_modules/.bin/maildev" ] && return 0
  echo "Installing MailDev 3"
  mkdir -p "$MAILDEV_HOME"
  (cd "$MAILDEV_HOME" && npm install --no-audit --no-fund --loglevel=error maildev@3 >/dev/null)
}

# Starts MailDev on free loopback ports; sets MAILDEV_SMTP_PORT, MAILDEV_WEB_PORT, MAILDEV_PID.
maildev_start() {
  MAILDEV_SMTP_PORT=$(free_port)
  MAILDEV_WEB_PORT=$(free_port)
  "$MAILDEV_HOME/node_modules/.bin/maildev" --smtp "$MAILDEV_SMTP_PORT" --ip 127.0.0.1 \
    --web "$MAILDEV_WEB_PORT" --web-ip 127.0.0.1 >"${TMPDIR:-/tmp}/kitashin-maildev.log" 2>&1 &
  MAILDEV_PID=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$MAILDEV_WEB_PORT") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "MailDev did not start:" >&2; cat "${TMPDIR:-/tmp}/kitashin-maildev.log" >&2; return 1
}

maildev_stop() {
  [ -n "${MAILDEV_PID:-}" ] || return 0
  kill "$MAILDEV_PID" 2>/dev/null || true
  MAILDEV_PID=
}
