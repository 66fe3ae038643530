#!/usr/bin/env bash
# The README's test command (`make test`), also what CI runs: set up, start a real
# Kafka broker on a test port, run unit, agent and integration tests, stop the broker
# even on failure, and fail on any failure (pytest's "no tests ran" counts as one).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || exit 1
bash scripts/install-prometheus.sh || exit 1

export NEWSFLOW_BROKER__PORT=${NFTEST_BROKER_PORT:-39092}
export NEWSFLOW_BROKER__CONTROLLER_PORT=$((NEWSFLOW_BROKER__PORT + 1))
export NEWSFLOW_BROKER__DATA_DIR=$(mktemp -d /tmp/newsflow-test-kafka.XXXXXX)
stop_broker() {
  .venv/bin/newsflow broker stop >/dev/null 2>&1 || true
  rm -rf "$NEWSFLOW_BROKER__DATA_DIR"
}
trap stop_broker EXIT INT TERM

echo "==> starting Kafka on 127.0.0.1:$NEWSFLOW_BROKER__PORT"
.venv/bin/newsflow broker start || { tail -50 "$NEWSFLOW_BROKER__DATA_DIR/broker.log"; exit 1; }
export NFTEST_BOOTSTRAP=127.0.0.1:$NEWSFLOW_BROKER__PORT

echo "==> pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@" tests
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: failing" >&2
  rc=1
fi
exit "$rc"
