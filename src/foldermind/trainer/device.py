"""What the trainer knows of the device it trains on: its name, the largest batch it fits (searched once per
base model and sequence length, then kept), and the training speed last measured on it (kept across nights).

data/training/devices.json:
    {"batch": {"NVIDIA H200 | <base model> | seq_len 512 | up to 16": 16},
     "speed": {"NVIDIA H200 | <base model>": 33352.0}}
"""

from __future__ import annotations

import gc
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from foldermind.atomic import write_atomic
from foldermind.errors import ModelError

log = logging.getLogger(__name__)
DEVICES_FILE = "devices.json"


def device_name(processes: int = 1) -> str:
    """ "cpu", or the GPU's name as CUDA gives it ("NVIDIA H200"), with "2 x " in front for a data-parallel
    run over two of them (its speed is their sum)."""
    import torch

    name = torch.cuda.get_device_name(torch.cuda.current_device()) if torch.cuda.is_available() else "cpu"
    return f"{processes} x {name}" if processes > 1 else name


def out_of_memory(error: BaseException) -> bool:
    """True for CUDA's out-of-memory error, also in the RuntimeError form older code paths raise."""
    import torch

    return isinstance(error, torch.cuda.OutOfMemoryError) or (
        isinstance(error, RuntimeError) and "out of memory" in str(error)
    )


def free_gpu_memory() -> None:
    """Give the GPU memory of tensors no longer referenced back to the device (torch keeps it cached)."""
    import torch

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _next_smaller(limit: int, batch: int) -> int:
    """The largest divisor of `limit` at most half of `batch`: exactly half for a power of two, and always a
    batch that accumulates to `limit` without a remainder."""
    return max(d for d in range(1, batch // 2 + 1) if limit % d == 0)


def largest_batch(try_step: Callable[[int], Any], limit: int) -> int:
    """The largest batch, from `limit` down (halving), at which `try_step(batch)` runs without running out of
    memory. Any other error is raised as it is; ModelError when not even one sequence fits."""
    batch = limit
    while True:
        try:
            try_step(batch)
            return batch
        except Exception as error:
            if not out_of_memory(error):
                raise
        free_gpu_memory()  # after the except block, so the traceback's tensors are gone too
        if batch == 1:
            raise ModelError(
                "Not even one training sequence fits in the GPU's memory; lower [trainer] seq_len or lora_r."
            )
        log.info("A device batch of %d does not fit in memory; trying %d", batch, _next_smaller(limit, batch))
        batch = _next_smaller(limit, batch)


class DeviceRecords:
    """data/training/devices.json: device batches and speeds by device and base model. A damaged file reads
    as empty (everything in it can be measured again)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / DEVICES_FILE

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"batch": {}, "speed": {}}
        return {"batch": dict(data.get("batch", {})), "speed": dict(data.get("speed", {}))}

    def _write(self, kind: str, key: str, value: float) -> None:
        data = self._read()
        data[kind][key] = value
        write_atomic(self.path, json.dumps(data, indent=2))

    def device_batch(
        self, device: str, base_model: str, seq_len: int, limit: int, try_step: Callable[[int], Any]
    ) -> int:
        """The kept batch for this device, model, sequence length and limit, or one searched now and kept."""
        key = f"{device} | {base_model} | seq_len {seq_len} | up to {limit}"
        kept = self._read()["batch"].get(key)
        if isinstance(kept, int) and 1 <= kept <= limit:
            return kept
        batch = largest_batch(try_step, limit)
        log.info("Device batch for %s: %d sequence(s) of %d tokens at once", device, batch, seq_len)
        self._write("batch", key, batch)
        return batch

    def speed(self, device: str, base_model: str) -> float | None:
        """Training tokens/s last measured on this device with this base model, if any night measured it."""
        kept = self._read()["speed"].get(f"{device} | {base_model}")
        return float(kept) if isinstance(kept, int | float) and kept > 0 else None

    def remember_speed(self, device: str, base_model: str, tokens_per_second: float) -> None:
        self._write("speed", f"{device} | {base_model}", tokens_per_second)
