#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: a virtual environment with the pinned
# dependencies (constraints.txt) and the Kafka broker jars from Maven Central.
# Second runs are fast: pip and Maven caches, and the jar cache in ~/.cache/newsflow.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $("$PY" --version)"
  "$PY" -m venv .venv
fi
# the stamp covers the compiled kernel's sources too: a change to them rebuilds it
stamp=.venv/.installed-$(cat pyproject.toml setup.py constraints.txt pipeline/*/*.c | sha1sum | cut -c1-12)
if [ ! -f "$stamp" ]; then
  echo "==> installing dependencies (pinned by constraints.txt)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e '.[dev]'
  rm -f .venv/.installed-* && touch "$stamp"
fi
echo "==> Kafka broker jars"
.venv/bin/newsflow broker fetch >/dev/null
echo "==> ready: .venv/bin/newsflow"
