#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed: Playwright drives /usr/bin/chromium because
# `npx playwright install` cannot download browsers here. Idempotent and quiet when all is well.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing at $CHROMIUM and installing it needs root: run 'sudo apt-get install -y chromium' (Debian) and try again." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing at $CHROMIUM and apt-get is not available: install Debian's 'chromium' package, or set CHROMIUM_PATH to a Chromium binary." >&2
  exit 1
fi

echo "Installing Debian's chromium package (for the Playwright e2e tests)..."
export DEBIAN_FRONTEND=noninteractive
# Quiet on success; the log is shown only when apt fails.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends chromium; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "Installing chromium with apt-get failed (see the output above)." >&2
  exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "The chromium package installed but $CHROMIUM is still missing; set CHROMIUM_PATH to the Chromium binary." >&2
  exit 1
fi
echo "Chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
