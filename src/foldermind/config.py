"""Configuration: one typed object, read once from config.toml and FOLDERMIND_* variables, passed down."""

from __future__ import annotations

import hashlib
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from foldermind.errors import ConfigError

ENV_PREFIX = "FOLDERMIND_"
CONFIG_FILE = "config.toml"


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class PathsConfig(Section):
    context: Path = Field(Path("context"), description="Folder the user drops files into.")
    data: Path = Field(Path("data"), description="Index, logs and models.")


class IndexerConfig(Section):
    embedding_model: str = Field("sentence-transformers/all-MiniLM-L6-v2", min_length=1)
    chunk_tokens: int = Field(256, ge=32, le=8192)
    chunk_overlap: int = Field(32, ge=0)
    max_file_mb: float = Field(20.0, gt=0)
    embed_batch_size: int = Field(32, ge=1, le=4096)
    embedding_backend: Literal["onnx-int8", "torch"] = "onnx-int8"
    chroma_url: str = ""
    ignore: list[str] = Field(default_factory=list)
    follow_symlinks: bool = True
    speech_model: str = Field("tiny.en", min_length=1)  # recordings: shipped tiny.en, a faster-whisper name, a folder
    ocr_engine: Literal["auto", "tesseract", "rapidocr"] = "auto"  # pictures and scans; auto: tesseract if there
    ocr_language: str = Field("eng", pattern=r"^[A-Za-z_]+(\+[A-Za-z_]+)*$")  # tesseract's languages, e.g. eng+deu


class SearchConfig(Section):
    k: int = Field(5, ge=1, le=100)
    mode: Literal["hybrid", "vector", "keyword"] = "hybrid"
    rrf_k: int = Field(60, ge=1)


class ServerConfig(Section):
    host: str = "127.0.0.1"
    port: int = Field(8765, ge=1, le=65535)
    api_key: str = ""
    base_model: str = ""
    n_ctx: int = Field(2048, ge=256)
    n_threads: int = Field(0, ge=0)
    flash_attn: bool = True
    gpu_layers: int = Field(-1, ge=-1)  # layers llama.cpp runs on the GPU when its build can: -1 all, 0 none
    max_queue: int = Field(8, ge=1)
    max_tokens: int = Field(256, ge=1)
    temperature: float = Field(0.2, ge=0.0, le=2.0)
    min_similarity: float = Field(0.15, ge=-1.0, le=1.0)
    candidates: int = Field(10, ge=1, le=100)
    each_ranking_first: int = Field(2, ge=0, le=20)
    evidence_passages: int = Field(1, ge=1, le=10)
    evidence_margin: float = Field(0.1, ge=0.0)
    keyword_weight: float = Field(0.5, ge=0.0)
    min_evidence: float = Field(0.5, ge=-1.0)
    answer_max_tokens: int = Field(128, ge=1)
    answer_stop: list[str] = Field(default_factory=lambda: ["\n\n", "\n["], max_length=4)
    upload_max_mb: float = Field(20.0, gt=0)  # largest file the page may upload into the context folder

    @property
    def loopback(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1") or self.host.startswith("127.")


class TrainerConfig(Section):
    base_model: str = Field("HuggingFaceTB/SmolLM2-135M-Instruct", min_length=1)
    schedule: str = "0 3 * * *"
    token_budget: int = Field(200_000, ge=1000)
    seq_len: int = Field(512, ge=64, le=32768)
    held_out: float = Field(0.1, gt=0.0, lt=0.5)
    replay_share: float = Field(0.2, ge=0.0, le=0.9)
    lora_r: int = Field(16, ge=1)
    lora_alpha: int = Field(32, ge=1)
    lora_dropout: float = Field(0.05, ge=0.0, lt=1.0)
    target_modules: list[str] = Field(
        default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    )
    learning_rate: float = Field(2e-4, gt=0.0)
    epochs: float = Field(1.0, gt=0.0)
    max_steps: int = Field(0, ge=0)
    batch_size: int = Field(4, ge=1)
    max_minutes: float = Field(40.0, gt=0.0)
    checkpoint_every: int = Field(50, ge=1)
    quantization: Literal["Q8_0", "Q4_K_M", "F16"] = "Q8_0"
    min_gain: float = Field(0.10, ge=-1.0, lt=1.0)
    max_forgetting: float = Field(0.10, ge=0.0)
    keep_versions: int = Field(3, ge=1)
    exclude: list[str] = Field(default_factory=list)
    min_documents: int = Field(3, ge=1)
    threads: int = Field(0, ge=0)
    questions_per_chunk: int = Field(4, ge=0)
    refusal_share: float = Field(0.0, ge=0.0, lt=1.0)
    eval_questions: int = Field(60, ge=0)
    min_accuracy_gain: float = Field(0.0, ge=-1.0, le=1.0)
    answer_gate_z: float = Field(1.645, ge=0.0)
    worse_gate_z: float = Field(1.0, ge=0.0)
    keep_rejected: bool = False


class DaemonConfig(Section):
    debounce_ms: int = Field(250, ge=0, le=60_000)
    max_delay_ms: int = Field(1000, ge=0, le=600_000)
    polling: bool = False
    log_max_mb: float = Field(5.0, gt=0)
    pause_training_for_chat: bool = True


class MCPConfig(Section):
    allow_writes: bool = False
    allowed_hosts: list[str] = Field(default_factory=list)
    allowed_origins: list[str] = Field(default_factory=list)


class Config(Section):
    home: Path = Field(Path("."), exclude=True)
    paths: PathsConfig = Field(default_factory=PathsConfig)
    indexer: IndexerConfig = Field(default_factory=IndexerConfig)
    search: SearchConfig = Field(default_factory=SearchConfig)
    server: ServerConfig = Field(default_factory=ServerConfig)
    trainer: TrainerConfig = Field(default_factory=TrainerConfig)
    daemon: DaemonConfig = Field(default_factory=DaemonConfig)
    mcp: MCPConfig = Field(default_factory=MCPConfig)

    @property
    def context_dir(self) -> Path:
        return self.home / self.paths.context

    @property
    def data_dir(self) -> Path:
        return self.home / self.paths.data

    @property
    def home_id(self) -> str:
        """An opaque name of this home (16 hex digits of its resolved path's SHA-256), which its server gives on
        /health: a client tells its own home's server from another home's on the same port."""
        return hashlib.sha256(str(self.home.resolve()).encode()).hexdigest()[:16]


def default_config_text() -> str:
    """The documented defaults, shipped inside the package and copied into every new home."""
    return resources.files("foldermind").joinpath(CONFIG_FILE).read_text(encoding="utf-8")


def env_overrides(environ: dict[str, str]) -> dict[str, dict[str, str]]:
    """FOLDERMIND_SECTION__OPTION=value pairs, as a nested dict pydantic coerces like the file's values."""
    found: dict[str, dict[str, str]] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section, _, option = name[len(ENV_PREFIX) :].lower().partition("__")
        if value.startswith("["):  # lists are written the TOML way: '["*.log", "tmp/"]'
            value = tomllib.loads(f"v = {value}")["v"]
        found.setdefault(section, {})[option] = value
    return found


def _merge(base: dict[str, Any], extra: dict[str, dict[str, Any]]) -> dict[str, Any]:
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in base.items()}
    for section, options in extra.items():
        if not isinstance(merged.get(section, {}), dict):
            raise ConfigError(f"FOLDERMIND_{section.upper()}__…: '{section}' is not a section of config.toml")
        merged.setdefault(section, {}).update(options)
    return merged


def _describe(error: ValidationError, source: str) -> str:
    lines = [f"{source} has {error.error_count()} problem(s):"]
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            lines.append(f"  {where}: unknown option (see the defaults with `foldermind config`)")
        else:
            lines.append(f"  {where}: {item['msg']} (got {item.get('input')!r})")
    return "\n".join(lines)


def load_config(home: Path, environ: dict[str, str] | None = None) -> Config:
    """Read home/config.toml (absent: all defaults), apply env overrides, and validate everything at once."""
    path = home / CONFIG_FILE
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}. Fix the line it names.") from exc
    data = _merge(data, env_overrides(dict(os.environ if environ is None else environ)))
    try:
        config = Config.model_validate({**data, "home": home})
    except ValidationError as exc:
        raise ConfigError(_describe(exc, str(path))) from exc
    if not config.server.loopback and not config.server.api_key:
        raise ConfigError(
            f"{path}: [server] host = '{config.server.host}' exposes your notes beyond this machine; "
            "set [server] api_key (clients then send it as a Bearer token) or use host = '127.0.0.1'."
        )
    if config.indexer.chunk_overlap >= config.indexer.chunk_tokens // 2:
        raise ConfigError(f"{path}: indexer.chunk_overlap must be less than half of indexer.chunk_tokens")
    return config
