# The newsflow worker image: `docker build -t newsflow:0.1.0 .`
# Installs exactly the versions of constraints.txt; runs `newsflow worker`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 newsflow \
 && useradd --system --uid 10001 --gid newsflow --home-dir /var/lib/newsflow --create-home newsflow

WORKDIR /opt/newsflow
# Only what the package needs (tests, data and the venv stay out of the image).
COPY pyproject.toml setup.py constraints.txt README.md ./
COPY newsflow ./newsflow
COPY pipeline ./pipeline
COPY agents ./agents
COPY schemas ./schemas
# rocksdict backs Faust tables with RocksDB (NEWSFLOW_WORKER__STORE=rocksdb://).
# gcc builds the dedup kernel (pipeline/dedup/_kernel.c) and is removed again.
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
 && pip install --constraint constraints.txt . "faust-streaming[rocksdict]" \
 && apt-get purge -y gcc libc6-dev && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*

USER newsflow
ENV NEWSFLOW_WORKER__WEB_HOST=0.0.0.0 \
    NEWSFLOW_WORKER__DATA_DIR=/var/lib/newsflow
VOLUME ["/var/lib/newsflow"]
EXPOSE 6066 9308
STOPSIGNAL SIGTERM
ENTRYPOINT ["newsflow"]
CMD ["worker"]
