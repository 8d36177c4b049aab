#!/usr/bin/env bash
# Run by `npm test` (the `pretest` script) before the suites: installs what the tests run for real and npm cannot
# bring. Today that is clamd (Debian's clamav-daemon) for the malware-scanning tests, which start it themselves
# with their own one-signature database (test/setup/clamd.ts); its signature updates (freshclam) are never run.
# The Firestore emulator (Google Cloud CLI + Java) comes with this machine image; firebase-tools comes from npm.
# Where the package cannot be installed (no apt-get, not root and no sudo) it says so and the clamd suites skip
# with a loud warning.
set -euo pipefail
if command -v clamd >/dev/null 2>&1 || [ -x /usr/sbin/clamd ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test-prerequisites: no apt-get: install ClamAV's clamd yourself to run the malware-scanning tests" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "test-prerequisites: not root and no sudo: install clamav-daemon to run the malware-scanning tests" >&2
    exit 0
  fi
fi
echo "test-prerequisites: installing clamav-daemon (once) for the malware-scanning tests" >&2
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends clamav-daemon >/dev/null
