#!/usr/bin/env python3
"""The CPython anchor for asyncwith's benchmarks.

Measures one cycle (enter, an already-complete trivial block, exit) of the same shape as the
Java benchmarks, on one asyncio event loop with every cycle inside one task:

- floor: acquire / block / release written out with try/finally (no context manager);
- asynccontextmanager: ``@contextlib.asynccontextmanager`` around the same acquire/release;
- class_based: a class with ``__aenter__``/``__aexit__`` doing the same;

and, for the synchronous statement ``call`` (Python's ``with``), plain synchronous cycles with no
event loop involved:

- sync_floor: acquire / block / release written out with try/finally;
- contextmanager: ``@contextlib.contextmanager`` around the same acquire/release.

Timing follows timeit: a warm-up pass, then several repeats of many cycles each; the minimum is
the figure timeit reports, the median is given beside it. Each repeat is timed twice: wall-clock
time (perf_counter) and the thread's CPU time (thread_time), the latter to set beside the Java
side's CPU-time cross-check on a machine busy with other work. Results go to stdout as JSON, and
to the file named by --out.
"""

import argparse
import asyncio
import contextlib
import json
import platform
import statistics
import sys
import time


class Pool:
    """A pool whose acquire and release are coroutines that complete at once."""

    def __init__(self):
        self.handle = object()
        self.open = 0

    async def acquire(self):
        self.open += 1
        return self.handle

    async def release(self, handle):
        if handle is not self.handle:
            raise ValueError("not this pool's handle")
        self.open -= 1


async def trivial(handle):
    """The block: a coroutine that returns at once."""
    return 42


@contextlib.asynccontextmanager
async def lease(pool):
    handle = await pool.acquire()
    try:
        yield handle
    finally:
        await pool.release(handle)


class Lease:
    """The class-based asynchronous context manager doing what lease() does."""

    __slots__ = ("pool", "handle")

    def __init__(self, pool):
        self.pool = pool
        self.handle = None

    async def __aenter__(self):
        self.handle = await self.pool.acquire()
        return self.handle

    async def __aexit__(self, exc_type, exc, tb):
        await self.pool.release(self.handle)
        return False


def trivial_sync(handle):
    """The synchronous block: returns at once."""
    return 42


def acquire_now(pool):
    pool.open += 1
    return pool.handle


def release_now(pool, handle):
    if handle is not pool.handle:
        raise ValueError("not this pool's handle")
    pool.open -= 1


@contextlib.contextmanager
def hold(pool):
    handle = acquire_now(pool)
    try:
        yield handle
    finally:
        release_now(pool, handle)


def sync_floor_cycles(pool, cycles):
    for _ in range(cycles):
        handle = acquire_now(pool)
        try:
            trivial_sync(handle)
        finally:
            release_now(pool, handle)


def contextmanager_cycles(pool, cycles):
    for _ in range(cycles):
        with hold(pool) as handle:
            trivial_sync(handle)


async def floor_cycles(pool, cycles):
    for _ in range(cycles):
        handle = await pool.acquire()
        try:
            await trivial(handle)
        finally:
            await pool.release(handle)


async def asynccontextmanager_cycles(pool, cycles):
    for _ in range(cycles):
        async with lease(pool) as handle:
            await trivial(handle)


async def class_based_cycles(pool, cycles):
    for _ in range(cycles):
        async with Lease(pool) as handle:
            await trivial(handle)


VARIANTS = {
    "floor": floor_cycles,
    "asynccontextmanager": asynccontextmanager_cycles,
    "class_based": class_based_cycles,
    "sync_floor": sync_floor_cycles,
    "contextmanager": contextmanager_cycles,
}


async def run_variant(run, pool, cycles):
    """Runs a variant's cycles: awaited for the asynchronous ones, called for the others."""
    if asyncio.iscoroutinefunction(run):
        await run(pool, cycles)
    else:
        run(pool, cycles)


async def measure(cycles, repeats):
    results = {}
    for name, run in VARIANTS.items():
        pool = Pool()
        await run_variant(run, pool, cycles)  # warm-up pass
        per_cycle_ns = []
        per_cycle_cpu_ns = []
        for _ in range(repeats):
            start = time.perf_counter_ns()
            start_cpu = time.thread_time_ns()
            await run_variant(run, pool, cycles)
            per_cycle_cpu_ns.append((time.thread_time_ns() - start_cpu) / cycles)
            per_cycle_ns.append((time.perf_counter_ns() - start) / cycles)
        if pool.open != 0:
            raise RuntimeError(f"{name}: {pool.open} acquires were not released")
        results[name] = {
            "min_ns": round(min(per_cycle_ns), 1),
            "median_ns": round(statistics.median(per_cycle_ns), 1),
            "all_ns": [round(x, 1) for x in per_cycle_ns],
            "min_cpu_ns": round(min(per_cycle_cpu_ns), 1),
            "median_cpu_ns": round(statistics.median(per_cycle_cpu_ns), 1),
        }
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=200_000, help="cycles per repeat")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats per variant")
    parser.add_argument("--out", help="also write the JSON here")
    args = parser.parse_args()

    results = asyncio.run(measure(args.cycles, args.repeats))
    report = {
        "python": platform.python_implementation() + " " + platform.python_version(),
        "executable": sys.executable,
        "cycles_per_repeat": args.cycles,
        "repeats": args.repeats,
        "results": results,
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(text + "\n")


if __name__ == "__main__":
    main()
