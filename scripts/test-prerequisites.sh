#!/usr/bin/env bash
# Run by `npm test` (the `pretest` script) before the suites: installs what the tests run for real and npm cannot
# bring, from Debian's packages:
# - clamd (clamav-daemon) for the malware-scanning tests, which start it themselves with their own one-signature
#   database (test/setup/clamd.ts); its signature updates (freshclam) are never run;
# - Chromium for the browser tests (playwright-core drives it; playwright never downloads a browser here).
# The Firestore emulator (Google Cloud CLI + Java) comes with this machine image; firebase-tools comes from npm.
# Where a package cannot be installed (no apt-get, not root and no sudo) it says so and the suites that need it
# skip with a loud warning.
set -euo pipefail
missing=()
if ! command -v clamd >/dev/null 2>&1 && [ ! -x /usr/sbin/clamd ]; then missing+=(clamav-daemon); fi
if ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test-prerequisites: no apt-get: install ${missing[*]} yourself to run the tests that need them" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "test-prerequisites: not root and no sudo: install ${missing[*]} to run the tests that need them" >&2
    exit 0
  fi
fi
echo "test-prerequisites: installing ${missing[*]} (once) from Debian's packages" >&2
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
