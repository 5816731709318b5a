"""Logging set-up: readable lines on stderr; document text is only ever logged at DEBUG."""

from __future__ import annotations

import logging
import os
import re
import traceback

from rich.console import Console
from rich.logging import RichHandler

# Control characters in a file's name or text (an escape sequence that clears the screen or recolours what
# follows, a carriage return that overwrites the line) are shown as \xNN, as `ls` shows them as "?".
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

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


def visible(text: str) -> str:
    """`text` with its control characters but line breaks and tabs written as \\xNN."""
    return CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


class VisibleControls(logging.Filter):
    """Log lines name files ("Skipped bad<ESC>[5m.pdf"): their control characters are shown, not sent. So does
    an exception's message in a traceback (an error naming the file): a record's traceback becomes plain text
    of its message, shown the same way (rich's traceback panel would print the message as it is)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message += "\n" + "".join(traceback.format_exception(record.exc_info[1])).rstrip()
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = visible(message), None
        return True


def setup_logging(verbose: bool = False) -> None:
    # Library progress bars ("Loading weights", "Converting tensors") say nothing to a user; ours do.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    level = logging.DEBUG if verbose else logging.INFO
    handler = RichHandler(console=Console(stderr=True), show_path=False)
    handler.addFilter(VisibleControls())
    logging.basicConfig(level=level, format="%(message)s", handlers=[handler], force=True)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)
