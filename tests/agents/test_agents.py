"""Agent tests through Faust's ``test_context()``: in-process, outbound topics captured.

The agents are the real ones from ``agents.app``; only ``Topic.send`` is replaced by a
recorder, so what each agent would publish (and where) can be asserted without Kafka.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from agents.app import _WORK_DECODER, create_app
from newsflow.settings import load_settings

WIRE_COPY = (
    b"Storm closes schools across northern England\n"
    b"MANCHESTER, Jan 9 (Newsflow) - Heavy snow closed hundreds of schools in northern England on "
    b"Thursday, the Department for Education said, as forecasters warned of more storms this weekend.\n"
)
TEXT_PLAIN = [("content-type", b"text/plain; charset=utf-8")]


class Sent:
    """Records every send per topic name."""

    def __init__(self) -> None:
        self.by_topic: dict[str, list[dict[str, Any]]] = {}

    def install(self, topic: Any) -> None:
        async def send(key: Any = None, value: Any = None, headers: Any = None, **_: Any) -> None:
            self.by_topic.setdefault(topic.get_topic_name(), []).append({"key": key, "value": value})

        topic.send = send


@pytest.fixture()
def app_and_sent() -> Iterator[tuple[Any, Sent]]:
    run = uuid.uuid4().hex[:8]
    settings = load_settings(overrides={"worker.app_id": f"agent-test-{run}", "worker.web_port": 0,
                                        "kafka.bootstrap_servers": "127.0.0.1:1"})
    app = create_app(settings)
    sent = Sent()
    for topic in app.newsflow_topics.values():
        sent.install(topic)
    yield app, sent


def _agent(app: Any, name: str) -> Any:
    return next(a for a in app.agents.values() if a.name == name)


def test_prepare_agent_repartitions_a_good_record(app_and_sent: tuple[Any, Sent]) -> None:
    app, sent = app_and_sent

    async def go() -> None:
        async with _agent(app, "newsflow.prepare").test_context() as agent:
            await agent.put(WIRE_COPY, key=b"k1", headers=TEXT_PLAIN)

    asyncio.run(go())
    prepared = sent.by_topic[app.newsflow_topics["prepared"].get_topic_name()]
    assert len(prepared) == 1
    work = _WORK_DECODER.decode(prepared[0]["value"])
    assert work.article is not None and work.clean is not None
    assert work.clean.headline.startswith("Storm closes schools")
    assert prepared[0]["key"]  # repartition key present
    assert set(work.stage_seconds) == {"parse", "clean"}


def test_prepare_agent_dead_letters_garbage_and_keeps_going(app_and_sent: tuple[Any, Sent]) -> None:
    app, sent = app_and_sent

    async def go() -> None:
        async with _agent(app, "newsflow.prepare").test_context() as agent:
            await agent.put(b"[1, 2, 3]", key=b"bad", headers=[("content-type", b"application/json")])
            await agent.put(b"", key=b"empty", headers=[("content-type", b"application/json")])
            await agent.put(WIRE_COPY, key=b"good", headers=TEXT_PLAIN)

    asyncio.run(go())
    dead = sent.by_topic[app.newsflow_topics["deadletter"].get_topic_name()]
    assert [orjson.loads(d["value"])["reason"] for d in dead] == ["wrong_type", "empty"]
    assert orjson.loads(dead[0]["value"])["original"]["value_b64"]
    assert len(sent.by_topic[app.newsflow_topics["prepared"].get_topic_name()]) == 1


def test_dedup_and_enrich_agents_publish_once_and_divert_the_repeat(app_and_sent: tuple[Any, Sent]) -> None:
    app, sent = app_and_sent
    prepared_name = app.newsflow_topics["prepared"].get_topic_name()
    deduped_name = app.newsflow_topics["deduped"].get_topic_name()

    async def go() -> None:
        async with _agent(app, "newsflow.prepare").test_context() as agent:
            await agent.put(WIRE_COPY, key=b"k1", headers=TEXT_PLAIN)
        item = sent.by_topic[prepared_name][0]
        async with _agent(app, "newsflow.dedup").test_context() as agent:
            await agent.put(item["value"], key=item["key"])
            await agent.put(item["value"], key=item["key"])
        forwarded = sent.by_topic[deduped_name]
        assert len(forwarded) == 1  # the repeat stopped at dedup
        assert forwarded[0]["key"] == b"urn:newsflow:key:k1"
        async with _agent(app, "newsflow.enrich").test_context() as agent:
            await agent.put(forwarded[0]["value"], key=forwarded[0]["key"])

    asyncio.run(go())
    enriched = sent.by_topic[app.newsflow_topics["enriched"].get_topic_name()]
    dups = sent.by_topic[app.newsflow_topics["duplicate"].get_topic_name()]
    assert len(enriched) == 1 and len(dups) == 1
    doc = orjson.loads(enriched[0]["value"])
    assert doc["language"] == "en"
    assert doc["newsflow"]["dedup"]["status"] == "new"
    assert orjson.loads(dups[0]["value"])["newsflow"]["dedup"]["status"] == "duplicate"
