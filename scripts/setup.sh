#!/usr/bin/env bash
# Installs the Debian 12 packages vigil needs to build, test and benchmark (scripts/setup.sh
# [--test|--fuzz]). Idempotent: when every package is already installed it changes nothing and
# says so.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ make pkg-config
  libsqlite3-dev libpq-dev libexpat1-dev libssl-dev
  nlohmann-json3-dev libcli11-dev libgtest-dev libtomlplusplus-dev libcurl4-openssl-dev
  libhowardhinnant-date-dev tzdata
  zlib1g-dev jq libmicrohttpd-dev
  python3 sqlite3 libxml2-utils time clang-format clang-tidy
  dpkg-dev
)

# With --fuzz, what the libFuzzer targets of fuzz/ need: clang, and libclang-rt-14-dev for
# libFuzzer and the sanitizer runtimes.
FUZZ_PACKAGES=(clang libclang-rt-14-dev)

# dpkg-dev: dpkg-shlibdeps, with which CPack finds the Debian package's dependencies
# (`make package`).
#
# With --test, what only the tests need: Chromium (the evidence pack is opened in a real
# browser), poppler-utils (pdftotext reads back the page Chromium printed), systemd
# (systemd-analyze checks the service unit of the package), python3-aiosmtpd and openssl (the
# notification tests run a real SMTP server on loopback, with a test certificate made by the
# openssl command; docs/decisions/0008-test-smtp-server.md), the fuzz packages
# (`make test` runs every fuzz target briefly), and Node.js and npm for the tools of
# tests/tooling (a machine that already has node and npm, from Debian or elsewhere, keeps its
# own), and postgresql-15 (the PostgreSQL store's tests run a throwaway cluster,
# tests/support/pg_cluster.py).
if [ "${1:-}" = "--fuzz" ]; then
  PACKAGES+=("${FUZZ_PACKAGES[@]}")
elif [ "${1:-}" = "--test" ]; then
  PACKAGES+=(chromium poppler-utils systemd python3-aiosmtpd openssl postgresql-15 "${FUZZ_PACKAGES[@]}")
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    PACKAGES+=(nodejs npm)
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages are installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "setup: missing packages (${missing[*]}) and not root; install them as root" >&2
    exit 1
  fi
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
