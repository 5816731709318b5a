"""Loading a GGUF with llama.cpp: the one place foldermind makes a `llama_cpp.Llama`.

On a CPU with AMX (Intel Sapphire Rapids and later) llama.cpp repacks the weights into AMX tiles, an
"extra buffer type"; in the build pip makes of llama-cpp-python 0.3.36 that path crashes the process
(SIGSEGV in llama_decode on the first token; seen on the 2-core development machine on 2026-11-30, where
the same model generates normally with the extra buffer types off). There, and only there, they are turned
off: llama.cpp then runs its ordinary CPU kernels. llama-cpp-python sets the model parameters inside
`Llama.__init__` from `llama_model_default_params()` and takes no argument for this one, so that function
is wrapped for the length of the constructor.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_CONSTRUCTING = threading.Lock()  # the wrapped default is module state: one construction at a time


@functools.cache
def cpu_has_amx() -> bool:
    """True when /proc/cpuinfo lists an AMX flag (Linux; False where it cannot be read)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_tile" in flags or "amx_int8" in flags


@functools.cache
def gpu_offload() -> bool:
    """True when the installed llama.cpp was built with a GPU backend (CUDA, Metal, Vulkan...): it can run layers
    on the GPU. pip's default build of llama-cpp-python is CPU only."""
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


def load_llama(model_path: Path | str, gpu_layers: int = 0, **options: Any) -> Any:
    """`llama_cpp.Llama(model_path, **options)`, safe on this CPU, with `gpu_layers` layers on the GPU (-1: all)
    when this llama.cpp build can offload, none otherwise; raises what llama.cpp raises (ValueError for a file it
    cannot load)."""
    from llama_cpp import Llama

    options["n_gpu_layers"] = gpu_layers if gpu_layers and gpu_offload() else 0
    with safe_construction():
        return Llama(model_path=str(model_path), **options)


@contextlib.contextmanager
def safe_construction() -> Iterator[None]:
    """Any `llama_cpp.Llama` made inside (ours, or one a peer library makes, as bench/answer_bench.py's
    LlamaIndex does) loads without AMX's extra buffer types on a CPU that has them."""
    if not cpu_has_amx():
        yield
        return
    import llama_cpp.llama_cpp as native

    with _CONSTRUCTING:
        default = native.llama_model_default_params

        def without_extra_buffers() -> Any:
            params = default()
            params.use_extra_bufts = False
            return params

        native.llama_model_default_params = without_extra_buffers
        try:
            yield
        finally:
            native.llama_model_default_params = default


def count_tokens(llama: Any, text: str) -> int:
    """Tokens of `text` in the model's vocabulary, without BOS or special tokens."""
    return len(llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))


def truncate(llama: Any, text: str, tokens: int) -> str:
    """The text cut to its first `tokens` tokens."""
    ids = llama.tokenize(text.encode("utf-8"), add_bos=False, special=False)
    if len(ids) <= tokens:
        return text
    return llama.detokenize(ids[:tokens]).decode("utf-8", errors="ignore")


def chat_stream(llama: Any, messages: list[dict[str, str]], params: dict[str, Any]) -> Any:
    """llama.cpp's streamed chat completion (OpenAI-shaped chunks). With a seed the cache is dropped first:
    a reused prompt prefix changes the float path of the logits, and a seed promises the same answer."""
    if params.get("seed") is not None:
        llama.reset()
    return llama.create_chat_completion(messages=messages, stream=True, **params)
