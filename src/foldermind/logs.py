"""Logging set-up: readable lines on stderr; document text is only ever logged at DEBUG."""

from __future__ import annotations

import logging
import os

from rich.console import Console
from rich.logging import RichHandler

NOISY = (
    "chromadb",
    "httpx",
    "sentence_transformers",
    "urllib3",
    "huggingface_hub",
    "uvicorn.access",
    "llama-cpp-python",
    "mcp",
)


def setup_logging(verbose: bool = False) -> None:
    # Library progress bars ("Loading weights", "Converting tensors") say nothing to a user; ours do.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    level = logging.DEBUG if verbose else logging.INFO
    handler = RichHandler(console=Console(stderr=True), show_path=False, rich_tracebacks=True)
    logging.basicConfig(level=level, format="%(message)s", handlers=[handler], force=True)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)
