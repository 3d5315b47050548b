#!/usr/bin/env bash
# Installs the second set of oracle judges: a Debian 13 "trixie" root (debootstrap --variant=minbase) in
# .tools/trixie/root (git-ignored) with nginx, its stream module and the third-party modules the oracles load, systemd
# and python3-gunicorn inside, so the oracle tests can compare our verdicts with nginx 1.26, systemd 257 and Gunicorn
# 23.0 as well as with the host's Debian 12 judges (test/helpers/judges.ts runs them through chroot). Needs root and apt
# access to deb.debian.org only.
# Idempotent: a stamp records the installed package versions, and a second run returns at once.
# TRIXIE_JUDGES_DIR overrides the target directory (default: <repo>/.tools/trixie).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

DIR=${TRIXIE_JUDGES_DIR:-$PWD/.tools/trixie}
ROOT=$DIR/root
STAMP=$DIR/judges.stamp
MIRROR=http://deb.debian.org/debian
# procps: /bin/kill, which ExecReload= lines name and systemd-analyze verify looks for. The libnginx-mod-http-*
# packages and libnginx-mod-rtmp: the third-party modules test/oracle/nginxModules.test.ts loads (the devel kit before
# Lua and set-misc).
PACKAGES=(nginx libnginx-mod-stream systemd python3 python3-gunicorn procps
  libnginx-mod-http-headers-more-filter libnginx-mod-http-echo libnginx-mod-http-brotli-filter
  libnginx-mod-http-ndk libnginx-mod-http-lua libnginx-mod-http-set-misc libnginx-mod-rtmp)

# The judges the tests call; the stamp is trusted only when they are all there.
judges_present() {
  [ -x "$ROOT/usr/sbin/nginx" ] && [ -x "$ROOT/usr/bin/systemd-analyze" ] && [ -x "$ROOT/usr/bin/python3" ] &&
    [ -f "$ROOT/usr/lib/python3/dist-packages/gunicorn/config.py" ]
}
if [ -f "$STAMP" ] && [ "$(head -1 "$STAMP")" = "packages: ${PACKAGES[*]}" ] && judges_present; then
  echo "trixie judges already installed in $ROOT:"
  cat "$STAMP"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null && exec sudo --preserve-env=TRIXIE_JUDGES_DIR bash "$0" "$@"
  echo "install-trixie-judges: debootstrap and chroot need root" >&2
  exit 1
fi

t_all=$(date +%s%N)
t_step=$t_all
lap() { # prints how long the step took
  local now
  now=$(date +%s%N)
  printf '[install-trixie-judges] %-44s %6.1f s\n' "$1" "$(((now - t_step) / 1000000))e-3"
  t_step=$now
}

rm -f "$STAMP"
mkdir -p "$DIR"

# 1. debootstrap itself, from the host's apt.
if ! command -v debootstrap >/dev/null; then
  apt-get install -y -qq debootstrap >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
fi
lap "apt debootstrap $(dpkg-query -W -f '${Version}' debootstrap)"

# 2. The minimal trixie root. A half-finished earlier attempt is thrown away (debootstrap cannot resume one).
if [ ! -f "$ROOT/var/lib/dpkg/status" ] || [ ! -x "$ROOT/usr/bin/apt-get" ]; then
  rm -rf "$ROOT"
  debootstrap --variant=minbase trixie "$ROOT" "$MIRROR" >"$DIR/debootstrap.log" 2>&1 ||
    { tail -20 "$DIR/debootstrap.log" >&2; exit 1; }
fi
lap "debootstrap --variant=minbase trixie"

# 3. The judges, inside the root. No service may start (policy-rc.d), no recommends, and apt's cache is emptied.
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"
echo "deb $MIRROR trixie main" >"$ROOT/etc/apt/sources.list"
chroot "$ROOT" apt-get update -qq
chroot "$ROOT" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >"$DIR/apt.log" 2>&1 ||
  { tail -20 "$DIR/apt.log" >&2; exit 1; }
chroot "$ROOT" apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/*
lap "apt-get install ${PACKAGES[*]}"

judges_present || { echo "install-trixie-judges: a judge is missing after the install" >&2; exit 1; }
versions=$(chroot "$ROOT" dpkg-query -W -f '${Package} ${Version}\n' "${PACKAGES[@]}")
printf 'packages: %s\n%s\n' "${PACKAGES[*]}" "$versions" >"$STAMP"
echo "$versions"
echo "nginx: $(chroot "$ROOT" /usr/sbin/nginx -v 2>&1)"
echo "systemd: $(chroot "$ROOT" /usr/bin/systemd-analyze --version | head -1)"
echo "gunicorn: $(chroot "$ROOT" /usr/bin/python3 -c 'import gunicorn; print(gunicorn.__version__)')"
echo "disk: $(du -sh "$ROOT" | cut -f1) in $ROOT"
printf '[install-trixie-judges] %-44s %6.1f s\n' "total" "$((($(date +%s%N) - t_all) / 1000000))e-3"
