"""The thread budget sees what other programs keep busy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from foldermind.threads import free_cores, machine_cores


@pytest.mark.skipif(machine_cores() < 2, reason="needs two cores to leave one free")
def test_a_busy_process_takes_its_core_out_of_the_budget() -> None:
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        assert free_cores(interval=1.0) == machine_cores() - 1
    finally:
        busy.kill()
        busy.wait()


def test_a_limit_caps_the_budget() -> None:
    assert free_cores(limit=1, interval=0.1) == 1
