"""The nightly pipeline on the real bundled model with tiny data and few steps."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foldermind import feedback
from foldermind.cli import app
from foldermind.config import Config
from foldermind.home import init_home, open_home
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.llama import load_llama
from foldermind.lock import AlreadyRunning, exclusive
from foldermind.models import bundled_gguf, current_name, live_version, versions
from foldermind.trainer.device import DeviceRecords
from foldermind.trainer.evaluate import gguf_perplexity
from foldermind.trainer.pipeline import run_training
from foldermind.trainer.runs import history, progress, rejected_model, run_dir, training_dir
from tests.helpers import FACT, NOTES, free_port, wait_until

pytestmark = pytest.mark.slow


def tiny(config: Config, **overrides: object) -> Config:
    settings = {
        "max_steps": 16,
        "seq_len": 256,
        "batch_size": 2,
        "learning_rate": 5e-4,
        "checkpoint_every": 4,
        # A tiny night asks a handful of held-out questions: too few for any gain to stand out from noise
        # (test_gates.py shows that rule). These tests are about the pipeline, so a loss of answers is allowed.
        "min_accuracy_gain": -1.0,
        **overrides,
    }
    for key, value in settings.items():
        setattr(config.trainer, key, value)
    return config


# tiny()'s settings for a `foldermind train` in a process of its own
TINY_ENV = {
    "FOLDERMIND_TRAINER__MAX_STEPS": "16",
    "FOLDERMIND_TRAINER__SEQ_LEN": "256",
    "FOLDERMIND_TRAINER__BATCH_SIZE": "2",
    "FOLDERMIND_TRAINER__LEARNING_RATE": "0.0005",
    "FOLDERMIND_TRAINER__CHECKPOINT_EVERY": "4",
    "FOLDERMIND_TRAINER__MIN_ACCURACY_GAIN": "-1",
}


def make_home(root: Path, embedder: Embedder, notes: dict[str, str] = NOTES) -> Config:
    init_home(root)
    (root / "context" / "README.md").unlink()
    for name, text in notes.items():
        (root / "context" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "context" / name).write_text(text)
    config = open_home(root)
    index_folder(Index(config, embedder=embedder))
    return tiny(config)


RATED = ("Who painted the Quillfeather bridge?", "Marta Okonkwo painted it teal in 1987 [1].")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Config, object]]:
    config = make_home(tmp_path_factory.mktemp("trained"), embedder)
    feedback.add(config, "up", *RATED, "", sources=[{"path": "history/bridge.md", "cited": True}])  # on the page
    yield config, run_training(config, show_progress=False)


def fact_perplexity(gguf: Path) -> float:
    return gguf_perplexity(gguf, [FACT])


def test_training_promotes_a_model_that_learned_the_notes(trained: tuple[Config, object]) -> None:
    config, result = trained
    assert result.status == "promoted", result.message
    live = live_version(config.data_dir, "")
    assert live.name == "v0001" == current_name(config.data_dir)
    assert fact_perplexity(live.path) < 0.7 * fact_perplexity(bundled_gguf())


def test_the_promoted_gguf_chats_in_llama_cpp(trained: tuple[Config, object]) -> None:
    config, _ = trained
    llama = load_llama(live_version(config.data_dir, "").path, n_ctx=512, verbose=False)
    reply = llama.create_chat_completion(messages=[{"role": "user", "content": "Hello!"}], max_tokens=20)
    assert reply["choices"][0]["message"]["content"].strip()
    assert llama.metadata.get("tokenizer.chat_template")


def test_the_version_folder_holds_model_report_and_adapter(trained: tuple[Config, object]) -> None:
    config, _ = trained
    folder = config.data_dir / "models" / "v0001"
    report = json.loads((folder / "report.json").read_text())
    assert report["verdict"]["promote"] and report["candidate"]["user_perplexity"] < report["base"]["user_perplexity"]
    assert {"dataset", "train", "merge", "export", "quantize", "evaluate"} <= set(report["stages"])
    assert (folder / "adapter" / "adapter_config.json").is_file()
    assert not (run_dir(config)).exists()
    assert report["data"]["trained_documents"] and report["data"]["held_out_documents"]  # which notes, this night
    kept = [run["report"]["data"] for run in history(config) if run.get("report", {}).get("data")]
    assert kept and not any("trained_documents" in data for data in kept)  # not kept night after night


def test_the_run_record_keeps_the_loss_of_every_step_and_no_progress_is_left(trained: tuple[Config, object]) -> None:
    config, result = trained
    training = result.report["training"]  # type: ignore[attr-defined]
    steps, losses = zip(*training["loss_curve"], strict=True)
    assert list(steps) == list(range(1, 17))
    assert abs(sum(losses) / len(losses) - training["loss"]) < 0.01  # the run's loss is the mean of its steps'
    assert progress(config) is None and not (training_dir(config) / "progress.json").exists()


def test_a_question_rated_right_on_the_page_is_asked_among_the_held_out_questions(
    trained: tuple[Config, object],
) -> None:
    _, result = trained
    report = result.report  # type: ignore[attr-defined]
    assert report["data"]["rated_questions"] == 1
    assert report["candidate"]["questions"] == report["data"]["held_out_questions"] == len(report["live"]["right"])


def test_the_same_notes_again_are_nothing_new_to_learn(trained: tuple[Config, object]) -> None:
    config, _ = trained
    measured = DeviceRecords(training_dir(config)).speed("cpu", config.trainer.base_model)
    again = run_training(config, show_progress=False)
    assert again.status == "nothing_to_learn" and "v0001" in again.message
    # the speed the first night measured is what the next is planned at, kept through a night with nothing to learn
    assert measured == DeviceRecords(training_dir(config)).speed("cpu", config.trainer.base_model) > 0


def test_models_list_use_and_rollback(trained: tuple[Config, object]) -> None:
    config, _ = trained
    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["--home", str(config.home), "models", "list", "--json"]).output)
    assert [(row["name"], row["live"]) for row in listed] == [("base", False), ("v0001", True)]
    assert runner.invoke(app, ["--home", str(config.home), "models", "rollback"]).exit_code == 0
    assert current_name(config.data_dir) == "base"
    assert runner.invoke(app, ["--home", str(config.home), "models", "use", "v0001"]).exit_code == 0
    assert current_name(config.data_dir) == "v0001"
    assert runner.invoke(app, ["--home", str(config.home), "models", "use", "v0042"]).exit_code == 1


def test_a_damaged_candidate_is_rejected_and_the_live_model_stays(tmp_path: Path, embedder: Embedder) -> None:
    config = tiny(make_home(tmp_path / "damaged", embedder), learning_rate=0.5, max_steps=6, keep_rejected=True)
    result = run_training(config, show_progress=False)
    assert result.status == "rejected"
    assert any("perplexity" in reason for reason in result.reasons)
    assert current_name(config.data_dir) is None and not (config.data_dir / "models").exists()
    assert rejected_model(config).read_bytes()[:4] == b"GGUF"  # kept to be tried by hand, never served
    assert not run_dir(config).exists()


def test_a_killed_training_resumes_from_its_checkpoint(tmp_path: Path, embedder: Embedder) -> None:
    config = make_home(tmp_path / "killed", embedder)
    env = {**os.environ, **TINY_ENV}  # as tiny() sets them: the same settings resume the run
    process = subprocess.Popen(
        [sys.executable, "-m", "foldermind", "--home", str(config.home), "train"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    checkpoints = run_dir(config) / "checkpoints"
    try:
        wait_until(lambda: progress(config)["done"] >= 1, 300, "a training step")  # type: ignore[index]
        running = progress(config)
        assert running and running["pid"] == process.pid and running["stage"] == "train" and running["total"] == 16
        printed = " ".join(CliRunner().invoke(app, ["--home", str(config.home), "status"]).output.split())
        assert "training now stage 3 of 8, training: step " in printed
        wait_until(lambda: any(checkpoints.glob("checkpoint-*/trainer_state.json")), 300, "a checkpoint")
        assert progress(config)["loss_curve"][0][0] == 1  # type: ignore[index]
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert current_name(config.data_dir) is None
    assert progress(config) is None  # the killed trainer's progress names a process that is gone
    result = run_training(config, show_progress=False)
    assert result.report["training"]["resumed_from"] >= 4
    assert [step for step, _ in result.report["training"]["loss_curve"]] == list(range(1, 17))  # from the start
    assert result.status in ("promoted", "rejected")


def adapter_shapes(folder: Path) -> dict[str, tuple[int, ...]]:
    from safetensors import safe_open

    with safe_open(str(folder / "adapter_model.safetensors"), "pt") as weights:
        return {name: tuple(weights.get_slice(name).get_shape()) for name in weights.keys()}  # noqa: SIM118


def test_training_under_accelerate_launch_on_two_processes_promotes_one_model(
    tmp_path: Path, embedder: Embedder, trained: tuple[Config, object]
) -> None:
    """Data-parallel over two CPU processes (gloo), as over two GPUs: `--multi_gpu` is what makes accelerate
    start one process per rank; without GPUs they talk over gloo."""
    config = make_home(tmp_path / "two", embedder)
    env = {**os.environ, **TINY_ENV, "FOLDERMIND_TRAINER__THREADS": "1"}  # one core each
    launch = [str(Path(sys.executable).parent / "accelerate"), "launch", "--multi_gpu", "--num_processes", "2"]
    launch += ["--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no"]
    launch += ["--main_process_port", str(free_port())]
    done = subprocess.run(
        [*launch, "-m", "foldermind", "--home", str(config.home), "train"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Process 1 of 2 trained along" in done.stdout
    assert [v.name for v in versions(config.data_dir, "")] == ["base", "v0001"]
    assert current_name(config.data_dir) == "v0001"
    assert [run["status"] for run in history(config)] == ["promoted"]
    report = json.loads((config.data_dir / "models" / "v0001" / "report.json").read_text())
    assert report["training"]["steps"] == 16 and report["training"]["device_batch"] == 1
    trained_alone = trained[0].data_dir / "models" / "v0001" / "adapter"
    assert adapter_shapes(config.data_dir / "models" / "v0001" / "adapter") == adapter_shapes(trained_alone)


def test_a_second_training_is_refused_while_one_runs(tmp_path: Path, embedder: Embedder) -> None:
    config = make_home(tmp_path / "locked", embedder)
    with exclusive(training_dir(config) / "lock", "A training"), pytest.raises(AlreadyRunning, match="pid"):
        run_training(config, show_progress=False)


def test_a_tiny_corpus_has_nothing_to_learn_and_makes_no_model(tmp_path: Path, embedder: Embedder) -> None:
    config = make_home(tmp_path / "tiny", embedder, {"one.md": "Just one short note."})
    result = run_training(config, show_progress=False)
    assert result.status == "nothing_to_learn" and "Nothing new to learn" in result.message
    assert not (config.data_dir / "models").exists()


def test_a_dry_run_lists_the_examples_it_would_take_and_the_lines_it_rejects(
    tmp_path: Path, embedder: Embedder
) -> None:
    examples = {
        "teach/bridge.train.jsonl": (
            '{"prompt": "Who painted the bridge?", "completion": "Marta Okonkwo, in 1987."}\n'
            '{"instruction": "Name the river.", "output": "The Ostra."}\n'
            '{"prompt": "Colour?"}\n'
        )
    }
    config = make_home(tmp_path / "dry", embedder, {**NOTES, **examples})
    asked = run_training(config, dry_run=True, show_progress=False).report["data"]["held_out_questions"]
    feedback.add(config, "up", *RATED, "")
    feedback.add(config, "down", "Where is the mill?", "In town.", "By the river Ostra.")
    result = run_training(config, dry_run=True, show_progress=False)
    data = result.report["data"]
    assert result.status == "dry_run" and data["documents"] == len(NOTES) and data["tokens"] > 0
    # which notes it learns and which it measures on, apart
    assert set(data["trained_documents"]) | set(data["held_out_documents"]) == set(NOTES)
    assert data["held_out_documents"] and not set(data["trained_documents"]) & set(data["held_out_documents"])
    assert data["examples"]["user_examples"] == 3 and data["examples"]["retrieval_chats"] > 0  # 2 + a correction
    assert data["rated_questions"] == 1 and data["held_out_questions"] == asked + 1
    assert data["rejected_examples"] == ['teach/bridge.train.jsonl line 3: "completion" must be a non-empty string']
    assert not (run_dir(config)).exists()
    printed = " ".join(CliRunner().invoke(app, ["--home", str(config.home), "train", "--dry-run"]).output.split())
    assert "Your examples (*.train.jsonl, *.train.json): 3 accepted, 1 rejected" in printed
    assert "held-out questions to measure with (1 of them yours, rated right on the page)" in printed
    assert 'rejected: teach/bridge.train.jsonl line 3: "completion" must be a non-empty string' in printed


def test_exporting_the_unmodified_base_round_trips_within_quantization_noise(tmp_path: Path) -> None:
    from foldermind.quantize import quantize
    from foldermind.trainer.base_model import resolve_base
    from foldermind.trainer.dataset import reference_text
    from foldermind.trainer.export_gguf import convert_to_gguf

    f16 = convert_to_gguf(Path(resolve_base("HuggingFaceTB/SmolLM2-135M-Instruct")), tmp_path / "base-f16.gguf")
    q8 = quantize(f16, tmp_path / "base-q8.gguf", "Q8_0")
    texts = [part for part in reference_text().split("\n\n") if part.strip()][:3]

    original = gguf_perplexity(bundled_gguf(), texts)
    assert abs(gguf_perplexity(f16, texts) / original - 1) < 0.02
    assert abs(gguf_perplexity(q8, texts) / original - 1) < 0.03
    assert q8.stat().st_size < 0.6 * f16.stat().st_size
