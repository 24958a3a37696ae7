# Installs what Bazaar needs on a Debian/Ubuntu machine when it is missing:
# PostgreSQL server binaries, Node.js/npm (for htmx and the browser test),
# and, with --browser, Debian's Chromium. Sourced by scripts/run and scripts/test.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "Please install: $*  (this script knows apt-get only)" >&2
    exit 1
  fi
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

have_postgres() {
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

ensure_prereqs() {
  have_postgres || apt_install postgresql postgresql-contrib
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
    apt_install chromium
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    echo "Rust is needed: install it from https://rustup.rs and run this again." >&2
    exit 1
  fi
  # Only when the lock file changed: a fresh node_modules would make cargo rebuild the crate (build.rs embeds htmx).
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}
