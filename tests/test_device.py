"""The training device: as many sequences at once as the GPU holds (found by backing off from out-of-memory,
once per model and sequence length), one at a time on the CPU, and the speed a night is planned at.

There is no GPU here: a step that runs out of memory raises what CUDA raises (torch.cuda.OutOfMemoryError, or
the RuntimeError older code paths raise) for batches above what the pretend GPU holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from foldermind.config import Config, TrainerConfig
from foldermind.errors import ModelError
from foldermind.trainer.device import DeviceRecords, largest_batch
from foldermind.trainer.lora import step_shape, trial_step
from foldermind.trainer.pipeline import ASSUMED_TOKENS_PER_SECOND, night_steps, planned_speed
from foldermind.trainer.runs import training_dir


class PretendGPU:
    """Runs a step of up to `holds` sequences; more raise CUDA's out-of-memory error. Records what was tried."""

    def __init__(self, holds: int, error: type[Exception] = torch.cuda.OutOfMemoryError) -> None:
        self.holds, self.error, self.tried = holds, error, []

    def __call__(self, batch: int) -> None:
        self.tried.append(batch)
        if batch > self.holds:
            raise self.error(f"CUDA out of memory. Tried to allocate {batch} GiB")


def test_the_device_batch_halves_until_a_step_fits() -> None:
    gpu = PretendGPU(holds=5)
    assert largest_batch(gpu, 16) == 4
    assert gpu.tried == [16, 8, 4]


def test_a_batch_that_fits_at_once_is_tried_once() -> None:
    gpu = PretendGPU(holds=64)
    assert largest_batch(gpu, 16) == 16 and gpu.tried == [16]


def test_the_runtime_error_form_of_out_of_memory_backs_off_too() -> None:
    gpu = PretendGPU(holds=2, error=RuntimeError)
    assert largest_batch(gpu, 8) == 2 and gpu.tried == [8, 4, 2]


def test_a_batch_size_that_is_no_power_of_two_backs_off_to_batches_that_accumulate_to_it() -> None:
    gpu = PretendGPU(holds=5)
    assert largest_batch(gpu, 12) == 3 and gpu.tried == [12, 6, 3]  # 12 = 3 x 4 accumulation steps


def test_other_errors_are_raised_not_taken_for_a_lack_of_memory() -> None:
    def broken(batch: int) -> None:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied")

    with pytest.raises(RuntimeError, match="shapes"):
        largest_batch(broken, 8)


def test_a_gpu_that_holds_not_one_sequence_says_what_to_lower() -> None:
    with pytest.raises(ModelError, match="seq_len"):
        largest_batch(PretendGPU(holds=0), 4)


def test_the_device_batch_is_found_once_per_model_and_sequence_length(tmp_path: Path) -> None:
    gpu = PretendGPU(holds=5)
    assert DeviceRecords(tmp_path).device_batch("NVIDIA H200", "smol", 512, 16, gpu) == 4
    assert gpu.tried == [16, 8, 4]

    kept = PretendGPU(holds=0)  # would fail anything: the kept batch is used without a trial
    assert DeviceRecords(tmp_path).device_batch("NVIDIA H200", "smol", 512, 16, kept) == 4 and kept.tried == []

    longer = PretendGPU(holds=2)
    assert DeviceRecords(tmp_path).device_batch("NVIDIA H200", "smol", 1024, 16, longer) == 2
    assert longer.tried == [16, 8, 4, 2]
    other = PretendGPU(holds=16)
    assert DeviceRecords(tmp_path).device_batch("NVIDIA H200", "bigger", 512, 16, other) == 16


def test_a_damaged_record_file_is_measured_again(tmp_path: Path) -> None:
    DeviceRecords(tmp_path).path.write_text("{torn")
    gpu = PretendGPU(holds=8)
    assert DeviceRecords(tmp_path).device_batch("NVIDIA H200", "smol", 512, 8, gpu) == 8 and gpu.tried == [8]


def test_on_the_cpu_one_sequence_at_a_time_accumulates_to_the_batch_size() -> None:
    assert not torch.cuda.is_available()  # CI and this machine; on a GPU the search above decides
    assert step_shape(None, [], TrainerConfig(batch_size=4)) == (1, 4)


def test_the_trial_step_runs_a_real_forward_and_backward_and_leaves_no_gradients() -> None:
    from foldermind.trainer.base_model import load_base

    model, tokenizer = load_base("HuggingFaceTB/SmolLM2-135M-Instruct")
    ids = tokenizer("The Harrow lighthouse was rebuilt in 1911.")["input_ids"]
    row = {"input_ids": ids, "labels": ids, "position_ids": list(range(len(ids)))}
    trial_step(model, [row], 3, torch.device("cpu"))
    assert all(p.grad is None for p in model.parameters())


def test_a_night_plans_at_the_speed_last_measured_on_its_device(config: Config) -> None:
    config.trainer.max_minutes = 10
    records = DeviceRecords(training_dir(config))
    assert planned_speed(config, "cpu") == ASSUMED_TOKENS_PER_SECOND
    assert planned_speed(config, "NVIDIA H200") is None  # a GPU's first night: one pass, the time budget stops it
    assert night_steps(config, 100_000, None) == 25_000  # sequences / batch_size 4

    records.remember_speed("NVIDIA H200", config.trainer.base_model, 30_000.0)
    assert planned_speed(config, "NVIDIA H200") == 30_000.0
    assert night_steps(config, 100_000, 30_000.0) == int(10 * 60 * 30_000 / (4 * 512))
    assert planned_speed(config, "cpu") == ASSUMED_TOKENS_PER_SECOND  # another device keeps its own
    config.trainer.base_model = "HuggingFaceTB/SmolLM2-1.7B-Instruct"
    assert planned_speed(config, "NVIDIA H200") is None  # and another base model
