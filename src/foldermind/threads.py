"""One thread budget for the machine: use the cores other processes leave free, not every core.

Torch and llama.cpp both spin their OpenMP threads while they wait for each other. On a small machine where
another process already keeps a core busy, a pool sized to every core makes each thread wait for one that
is not running: beside another process running torch on every core, training here ran at 0.15 of its quiet
speed with a thread per core and at 0.48 on the free cores (bench/trainer_bench.py busy). So long work asks
how many cores are free, and asks again as it goes.
"""

from __future__ import annotations

import os
import time

import psutil


def machine_cores() -> int:
    """Cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class FreeCores:
    """Cores that other processes left idle since the last call: the machine's busy time minus our own."""

    def __init__(self, limit: int = 0) -> None:
        self.cores = min(limit, machine_cores()) if limit > 0 else machine_cores()
        self.process = psutil.Process()
        self._mark = self._sample()

    def _sample(self) -> tuple[float, float, float]:
        system = psutil.cpu_times()
        own = self.process.cpu_times()
        busy = sum(getattr(system, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq"))
        return time.monotonic(), busy, own.user + own.system

    def __call__(self) -> int:
        (started, busy_then, own_then), now = self._mark, self._sample()
        self._mark = now
        wall = now[0] - started
        if wall <= 0:
            return self.cores
        others = max(0.0, (now[1] - busy_then) - (now[2] - own_then)) / wall
        return max(1, min(self.cores, machine_cores() - round(others)))


def free_cores(limit: int = 0, interval: float = 0.5) -> int:
    """Cores free now, measured over `interval` seconds; `limit` (0: none) caps the answer."""
    measure = FreeCores(limit)
    time.sleep(interval)
    return measure()
