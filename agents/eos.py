"""Exactly-once: each input's outputs, table writes and offset in one transaction.

Kafka's consume-transform-produce contract is per input partition: whatever an input
produced and the commit of its offset belong to one transaction. faust-streaming 0.15
breaks it in three places, each seen in our chaos runs (docs/DELIVERY.md):

1. ``TransactionManager.send`` picks the transactional producer by the *destination*
   partition, while ``commit`` ends only the transactions of *source* partitions whose
   offsets moved. A record sent to a partition no source advanced on stays in an open
   transaction: ``read_committed`` readers stall, and the broker aborts it later.
2. Table changelog writes are buffered and sent from a background task, outside the
   event, so they land in whichever transaction is open when the buffer drains.
3. ``commit`` runs concurrently with the agents: an event whose outputs are already
   sent but which is not acked yet has its outputs committed without its offset, and
   after a crash it is processed again (a double, or a "duplicate of itself").

The fixes: sends made for an event — directly, or buffered from a table write inside
it — use that event's source-partition producer; agents wrap each event, acks
included, in ``Barrier.event``; a commit waits for the in-flight events, drains the
producer buffer, then commits. In at-least-once mode none of this is active.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import faust
from faust.streams import current_event
from faust.transport.consumer import TransactionManager
from faust.transport.drivers import aiokafka as faust_aiokafka

#: The transactional id a buffered send was made under (set while it is published).
_PINNED: contextvars.ContextVar[str | None] = contextvars.ContextVar("newsflow_pinned_tid", default=None)
DRAIN_TIMEOUT_S = 30.0


def source_transactional_id(app: Any, topic: str, partition: int) -> str:
    """The transactional id Faust's commit uses for an input partition."""
    group = app.assignor.group_for_topic(topic)
    return f"{app.conf.id}-{group}-{partition}"


def _event_tid(app: Any) -> str | None:
    event = current_event()
    if event is None:
        return None
    return source_transactional_id(app, event.message.topic, event.message.partition)


class Barrier:
    """Commits happen between events, never while an event is half done."""

    def __init__(self) -> None:
        self._inflight = 0
        self._committing = False
        self._cond: asyncio.Condition | None = None

    def _condition(self) -> asyncio.Condition:
        if self._cond is None:  # created on first use, inside the worker's loop
            self._cond = asyncio.Condition()
        return self._cond

    @asynccontextmanager
    async def event(self) -> AsyncIterator[None]:
        """Around one event's processing, its sends and its ack."""
        cond = self._condition()
        async with cond:
            await cond.wait_for(lambda: not self._committing)
            self._inflight += 1
        try:
            yield
        finally:
            async with cond:
                self._inflight -= 1
                cond.notify_all()

    @asynccontextmanager
    async def commit(self) -> AsyncIterator[None]:
        """Hold new events back and wait for the ones in flight, for one commit."""
        cond = self._condition()
        async with cond:
            await cond.wait_for(lambda: not self._committing)
            self._committing = True
            await cond.wait_for(lambda: self._inflight == 0)
        try:
            yield
        finally:
            async with cond:
                self._committing = False
                cond.notify_all()


class SourceTransactionManager(TransactionManager):
    """Sends join the transaction of their input; commits wait for a quiet moment."""

    async def send(self, topic: str, key: bytes | None, value: bytes | None, partition: int | None,
                   timestamp: float | None, headers: Any, *,
                   transactional_id: str | None = None) -> Any:
        tid = _PINNED.get() or _event_tid(self.app)
        if tid is None:
            return await super().send(topic, key, value, partition, timestamp, headers,
                                      transactional_id=transactional_id)
        p = self.consumer.key_partition(topic, key, partition)
        return await self.producer.send(topic, key, value, p, timestamp, headers, transactional_id=tid)

    async def commit(self, offsets: Any, start_new_transaction: bool = True) -> bool:
        async with barrier(self.app).commit():
            await drain(self.app)
            return bool(await super().commit(offsets, start_new_transaction=start_new_transaction))


async def drain(app: Any) -> None:
    """Wait until the producer buffer (table changelog writes) is empty."""
    buffer = app.producer.buffer
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DRAIN_TIMEOUT_S
    while buffer.size and loop.time() < deadline:
        await buffer.flush_atmost(None)


class PinnedTopic(faust.Topic):
    """A topic whose buffered sends remember the transaction of the event that made them."""

    def send_soon(self, **kwargs: Any) -> Any:
        fut: Any = super().send_soon(**kwargs)
        if self.app.in_transaction:
            fut.newsflow_tid = _event_tid(self.app)  # read before the buffer task publishes it
        return fut

    async def publish_message(self, fut: Any, wait: bool = False) -> Any:
        tid = getattr(fut, "newsflow_tid", None)
        if tid is None:
            return await super().publish_message(fut, wait=wait)
        token = _PINNED.set(tid)
        try:
            return await super().publish_message(fut, wait=wait)
        finally:
            _PINNED.reset(token)


class Transport(faust_aiokafka.Transport):
    """Faust's aiokafka transport with the source-partition transaction manager."""

    TransactionManager = SourceTransactionManager


class App(faust.App):
    """``faust.App`` on that transport, with pinned topics and a commit barrier."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("Topic", PinnedTopic)
        super().__init__(*args, **kwargs)
        self.newsflow_barrier = Barrier()

    def _new_transport(self) -> Any:
        return Transport(self.conf.broker_consumer, self)


def barrier(app: Any) -> Barrier:
    """The app's barrier."""
    return app.newsflow_barrier  # type: ignore[no-any-return]


async def each_event(app: Any, stream: Any, handle: Callable[[Any], Awaitable[None]]) -> None:
    """An agent's loop: ``handle`` every event, inside ``processing``."""
    async for event in stream.events():
        async with processing(app, stream, event):
            await handle(event)


@asynccontextmanager
async def processing(app: Any, stream: Any, event: Any) -> AsyncIterator[None]:
    """One event, exactly once: inside the barrier, acked before the barrier opens."""
    if not app.in_transaction:
        yield
        return
    async with barrier(app).event():
        yield
        await stream.ack(event)
