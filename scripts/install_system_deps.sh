#!/usr/bin/env bash
# Install the Debian packages the project needs, when they are missing and apt-get can be used.
# Usage: scripts/install_system_deps.sh PACKAGE...   (idempotent: installed packages are skipped)
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}. This is not a Debian/Ubuntu system: install the equivalents by hand" >&2
  echo "(a Chromium browser, the Noto Sans CJK fonts, PostgreSQL server for the tests)." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Missing system packages: ${missing[*]}. Run as root: apt-get install -y ${missing[*]}" >&2; exit 1
  fi
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
