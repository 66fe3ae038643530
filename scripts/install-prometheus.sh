#!/usr/bin/env bash
# Install Debian's prometheus package (server + promtool) when either is missing.
# Idempotent: does nothing when both are on PATH. Tries the install first and runs
# `apt-get update` only when that fails (a fresh machine has no package lists).
set -euo pipefail

if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
    echo "prometheus: already installed ($(promtool --version 2>&1 | head -n 1))"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "prometheus: not installed and not root (no sudo): install the 'prometheus' package" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
install() { $SUDO apt-get install -y --no-install-recommends prometheus; }

if ! install; then
    echo "prometheus: install failed, updating package lists and retrying" >&2
    $SUDO apt-get update
    install
fi

echo "prometheus: installed ($(promtool --version 2>&1 | head -n 1))"
