"""The exactly-once commit barrier (agents/eos.py): commits only between events."""

from __future__ import annotations

import asyncio

from agents.eos import Barrier


def test_commit_waits_for_events_in_flight_and_holds_new_ones() -> None:
    async def scenario() -> list[str]:
        barrier, log = Barrier(), []
        first_in = asyncio.Event()
        release = asyncio.Event()

        async def event(name: str, started: asyncio.Event | None = None) -> None:
            async with barrier.event():
                log.append(f"{name} start")
                if started is not None:
                    started.set()
                    await release.wait()
                log.append(f"{name} end")

        async def commit() -> None:
            async with barrier.commit():
                log.append("commit")
                await asyncio.sleep(0.01)
                log.append("commit done")

        a = asyncio.create_task(event("a", first_in))
        await first_in.wait()
        c = asyncio.create_task(commit())
        await asyncio.sleep(0.01)
        b = asyncio.create_task(event("b"))  # arrives while the commit waits
        await asyncio.sleep(0.01)
        assert "commit" not in log and "b start" not in log
        release.set()
        await asyncio.gather(a, b, c)
        return log

    log = asyncio.run(scenario())
    assert log == ["a start", "a end", "commit", "commit done", "b start", "b end"]


def test_two_commits_do_not_overlap() -> None:
    async def scenario() -> list[str]:
        barrier, log = Barrier(), []

        async def commit(name: str) -> None:
            async with barrier.commit():
                log.append(f"{name} in")
                await asyncio.sleep(0.01)
                log.append(f"{name} out")

        await asyncio.gather(commit("x"), commit("y"))
        return log

    log = asyncio.run(scenario())
    assert log in (["x in", "x out", "y in", "y out"], ["y in", "y out", "x in", "x out"])
