"""Exactly-once: each input's outputs, table writes and offset in one transaction.

Kafka's consume-transform-produce contract is per input partition: whatever an input
produced and the commit of its offset belong to one transaction. faust-streaming 0.15
breaks it in four places, each seen in our chaos runs (docs/DELIVERY.md):

1. ``TransactionManager.send`` picks the transactional producer by the *destination*
   partition, while ``commit`` ends only the transactions of *source* partitions whose
   offsets moved. A record sent to a partition no source advanced on stays in an open
   transaction: ``read_committed`` readers stall, and the broker aborts it later.
2. Table changelog writes are buffered and sent from a background task, outside the
   event, so they land in whichever transaction is open when the buffer drains.
3. ``commit`` runs concurrently with the agents: it picks the offsets first and ends the
   transactions later, so an event that finishes in between has its outputs committed
   without its offset, and after a crash it is processed again (a double, or a
   "duplicate of itself").
4. Its committed offset can lag behind the acked events (control records look like
   gaps to it), while the transaction commits every sent output: after a crash the
   lagging events come out twice.

Its recovery after a restart also resumes the stream partitions before it seeks them to
the committed offsets, with the fetcher running: records handled before the seek come
again after it, and some are dropped for good (1–6 inputs lost in a 200-input kill run).

The fixes: sends made for an event — directly, or buffered from a table write inside
it — use that event's source-partition producer; agents wrap each event, acks
included, in ``Barrier.event``; a commit (``Consumer.force_commit``) waits for the
in-flight events and holds new ones back, drains the producer buffer, and only then
picks the offsets — one past the last acked event of each partition — and ends the
transactions. Stream partitions resume only after that seek; an event handled once in
this process is acked, not handled, if it comes again. In at-least-once mode none of
this is active (turned on there, two at-least-once chaos tests stalled in one CI run),
except one repair that both modes need: stream partitions with no committed offset are
seeked to their first offset, since aiokafka's seek leaves them where the fetcher was
(``Consumer.seek_to_committed``; at least once, that lost records after a failover).
At least once, a batch fetched before the seek also stops there, and the seek runs again
before the next batch (``Consumer.getmany``; the rest of that batch made Faust drop the
record at the committed offset after a restart).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import faust
from aiokafka.errors import IllegalStateError
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
    """Sends join the transaction of their input."""

    async def send(self, topic: str, key: bytes | None, value: bytes | None, partition: int | None,
                   timestamp: float | None, headers: Any, *,
                   transactional_id: str | None = None) -> Any:
        tid = _PINNED.get() or _event_tid(self.app)
        if tid is None:
            return await super().send(topic, key, value, partition, timestamp, headers,
                                      transactional_id=transactional_id)
        p = self.consumer.key_partition(topic, key, partition)
        return await self.producer.send(topic, key, value, p, timestamp, headers, transactional_id=tid)



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


class Consumer(faust_aiokafka.Consumer):
    """Faust's consumer with commits that match the transactions, and a safe recovery.

    ``force_commit``: the barrier is held before Faust picks the partitions and offsets to
    commit: an event that finished after that choice but before the transactions end
    would have its outputs committed without its offset. ``_new_offset``: one past the
    last acked event. ``resume_partitions``: stream partitions only after the seek.
    ``seek_to_committed``: partitions with no committed offset really go back to the start.
    ``getmany`` (at least once): a batch fetched before a seek is not handed out after it.
    """

    async def force_commit(self, topics: Any = None, start_new_transaction: bool = True) -> bool:
        if not self.app.in_transaction:
            return bool(await super().force_commit(topics, start_new_transaction=start_new_transaction))
        async with barrier(self.app).commit():
            await drain(self.app)
            return bool(await super().force_commit(topics, start_new_transaction=start_new_transaction))

    _newsflow_deferred: frozenset[Any] = frozenset()  # stream partitions to resume after the seek
    _newsflow_seeked = True  # False from an assignment until its seek to the committed offsets

    async def on_partitions_assigned(self, assigned: Any, generation_id: int = 0) -> None:
        if self.app.in_transaction:
            self._newsflow_seeked = False
        await super().on_partitions_assigned(assigned, generation_id)

    def resume_partitions(self, tps: Any) -> None:
        """Stream partitions resume only once they are seeked to the committed offsets.

        Faust's recovery resumes them *then* seeks them, while the fetcher runs: records
        fetched in between are handled, and the seek hands some of them over again and
        drops others for good (after a SIGKILL: 1–6 inputs lost per run, and doubles).
        Changelog partitions (table recovery) resume at once.
        """
        if not self._newsflow_seeked:
            streams = frozenset(tp for tp in tps if not self._is_changelog_tp(tp))
            self._newsflow_deferred |= streams
            tps = [tp for tp in tps if tp not in streams]
        if tps:
            super().resume_partitions(tps)

    async def seek_to_committed(self) -> Any:
        """Faust's seek, made whole for stream partitions that have no committed offset.

        aiokafka seeks only the partitions whose committed offset is above 0; the others
        stay wherever the fetcher is. At least once, Faust's recovery resumes the stream
        partitions before this seek, and the records fetched in between are dropped when
        it resumes flow (the stream buffers are cleared). A partition with a committed
        offset is read again from it; one without was read on from where the fetcher
        stopped, and those records were lost (chaos failover: 12–27 of 300, all from an
        internal partition the killed worker never committed). So those partitions go
        back to their first offset, as ``auto_offset_reset="earliest"`` means.
        """
        committed = await super().seek_to_committed()
        if self.app.conf.consumer_auto_offset_reset != "earliest":
            return committed
        fresh = [tp for tp, offset in committed.items() if not offset and not self._is_changelog_tp(tp)]
        if fresh:
            # On the consumer's own thread, like Faust's seek: aiokafka is not thread-safe.
            await self._thread.call_thread(_seek_to_zero, self._thread._ensure_consumer(), fresh)
        return committed

    _newsflow_seek_epoch = 0  # bumped by every seek to the committed offsets
    _newsflow_reseek = False  # at least once: seek again before the next batch

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[Any, Any]]:
        """Faust's batches, cut short when a seek happens while one is handed out.

        At least once, Faust's recovery resumes the stream partitions before it seeks
        them, so its fetch loop can be in the middle of a batch fetched *before* the seek.
        It hands the rest of that batch to the streams after the seek and moves each
        partition's read offset past it; the records the seek asked for again then look
        already read and are dropped, and the one at the committed offset, whose first
        copy was cleared from the stream buffer, is never handled (a restarted worker lost
        the first record after its committed offset in 4 of 15 runs of dedup_recovery).
        So the batch stops at the seek, and the seek runs once more before the next
        batch, when nothing is being handed out: it re-reads the committed offsets and
        resets the read offsets that the batch's last record moved.
        """
        if self._newsflow_reseek:
            await self._newsflow_seek_again()
        epoch = self._newsflow_seek_epoch
        async for tp, message in super().getmany(timeout):
            if self._newsflow_seek_epoch != epoch:
                await self._newsflow_seek_again()
                return
            yield tp, message

    async def _newsflow_seek_again(self) -> None:
        self._newsflow_reseek = False
        await super().perform_seek()

    async def perform_seek(self) -> None:
        await super().perform_seek()
        if not self.app.in_transaction:  # exactly once resumes streams only after the seek
            self._newsflow_seek_epoch += 1
            self._newsflow_reseek = True
        self._newsflow_seeked = True
        deferred, self._newsflow_deferred = self._newsflow_deferred, frozenset()
        if deferred:
            super().resume_partitions(deferred)

    async def on_partitions_revoked(self, revoked: Any) -> None:
        # the transactions of revoked partitions are aborted: their events must run again
        self.app.newsflow_done.clear()  # type: ignore[attr-defined]
        await super().on_partitions_revoked(revoked)

    def _new_offset(self, tp: Any) -> int | None:
        """In a transaction: one past the last acked offset, gaps or not.

        Faust walks the acked offsets up to the first gap it cannot explain. In a topic
        written by transactions the control records are such gaps, and its gap bookkeeping
        can hold the offset back for a few commits (seen: 30 events behind). That is harmless
        at least once, but here the transaction ends with *all* the events' outputs, so
        the held-back events would be processed again after a crash. At the barrier no event
        is in flight, and each partition is read by one agent in order, so every offset
        below the last acked one is done (processed, or a control record).
        """
        if not self.app.in_transaction:
            return super()._new_offset(tp)
        acked = self._acked[tp]
        if not acked:
            return None
        offset = max(acked) + 1
        acked.clear()
        self._acked_index[tp].clear()
        gaps = self._gap.get(tp)
        if gaps:
            gaps.chop(0, offset)
        return offset


async def _seek_to_zero(consumer: Any, tps: list[Any]) -> None:
    """Seek each partition to offset 0 (runs on the consumer thread).

    A plain seek, not aiokafka's ``seek_to_beginning``: that one awaits the fetcher's
    reset, the caller can be Faust's fetch loop, and in one chaos run with it a survivor's
    table recovery got no records for minutes (a reset that never completes is the
    suspect). Offset 0 below the log start is reset to the earliest offset by the
    consumer's reset policy.
    """
    for tp in tps:
        try:
            consumer.seek(tp, 0)
        except IllegalStateError:  # revoked meanwhile: the next assignment seeks again
            continue


class Transport(faust_aiokafka.Transport):
    """Faust's aiokafka transport with the source-partition transaction manager."""

    Consumer = Consumer
    TransactionManager = SourceTransactionManager


class App(faust.App):
    """``faust.App`` on that transport, with pinned topics and a commit barrier."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("Topic", PinnedTopic)
        super().__init__(*args, **kwargs)
        self.newsflow_barrier = Barrier()
        #: per input partition, the offset after the last event handled (exactly-once only)
        self.newsflow_done: dict[Any, int] = {}

    def _new_transport(self) -> Any:
        return Transport(self.conf.broker_consumer, self)


def barrier(app: Any) -> Barrier:
    """The app's barrier."""
    return app.newsflow_barrier  # type: ignore[no-any-return]


async def each_event(app: Any, stream: Any, handle: Callable[[Any], Awaitable[None]]) -> None:
    """An agent's loop: ``handle`` every event, inside ``processing``."""
    async for event in stream.events():
        async with processing(app, stream, event) as fresh:
            if fresh:
                await handle(event)


@asynccontextmanager
async def processing(app: Any, stream: Any, event: Any) -> AsyncIterator[bool]:
    """One event, exactly once: inside the barrier, acked before the barrier opens.

    Yields whether to handle it. If Faust seeks a partition back to its committed offset
    inside one process (its recovery did, before ``Consumer.resume_partitions`` waited
    for the seek; other seeks back remain possible), events come a second time; then
    (offset below the next one expected on its partition) the event is acked, not
    handled: its outputs are already in this process's open transaction. A rebalance
    aborts the open transactions, so it forgets what was done
    (``Consumer.on_partitions_revoked``).
    """
    if not app.in_transaction:
        yield True
        return
    async with barrier(app).event():
        message = event.message
        done: dict[Any, int] = app.newsflow_done
        fresh = message.offset >= done.get(message.tp, -1)
        yield fresh
        if fresh:
            done[message.tp] = message.offset + 1
        await stream.ack(event)
