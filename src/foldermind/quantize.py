"""Quantization with llama.cpp's own quantizer, in-process (`llama_model_quantize`): under a second for 135M.

The trainer quantizes what it exports; the server makes its faster copy of the bundled model with it.
"""

from __future__ import annotations

import ctypes
import logging
import os
from pathlib import Path

from foldermind.atomic import replace_durably
from foldermind.errors import ModelError

FTYPES = {
    "Q8_0": "LLAMA_FTYPE_MOSTLY_Q8_0",
    "Q4_K_M": "LLAMA_FTYPE_MOSTLY_Q4_K_M",
    "Q4_0": "LLAMA_FTYPE_MOSTLY_Q4_0",
    "F16": "LLAMA_FTYPE_MOSTLY_F16",
}


def quantize(source: Path, target: Path, kind: str) -> Path:
    import llama_cpp

    if kind not in FTYPES:
        raise ModelError(f"Unknown quantization '{kind}'; use one of {', '.join(FTYPES)}.")
    logging.getLogger("llama-cpp-python").setLevel(logging.ERROR)  # it prints a line per tensor otherwise
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, FTYPES[kind])
    params.allow_requantize = True  # the served copy of a shipped, already quantized GGUF starts from one
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")  # two processes may make the same file
    code = llama_cpp.llama_model_quantize(str(source).encode(), str(partial).encode(), ctypes.byref(params))
    if code != 0 or not partial.is_file():
        raise ModelError(f"Quantizing {source.name} to {kind} failed (code {code}); is the disk full?")
    replace_durably(partial, target)
    return target
