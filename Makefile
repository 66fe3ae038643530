# The two commands a new user needs (see README):
#   make demo   — set everything up, then run the main job end to end
#   make test   — set everything up, start a broker, run every test layer, stop the broker
.PHONY: demo test setup bench eval chaos clean

demo:
	bash scripts/setup.sh
	.venv/bin/newsflow demo

test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

bench: setup
	.venv/bin/newsflow bench --stages --stream ../shared/data/stream/wire-dev.jsonl.gz
	.venv/bin/newsflow bench --stream ../shared/data/stream/wire-dev.jsonl.gz --metrics-off-run --exactly-once-run

eval: setup
	.venv/bin/newsflow eval stream ../shared/data/stream/wire-dev.jsonl.gz
	.venv/bin/newsflow eval langid
	.venv/bin/newsflow eval extract

chaos: setup
	.venv/bin/python -m newsflow.chaos -n 10000 --out results/chaos.json

clean:
	rm -rf .venv results .pytest_cache
