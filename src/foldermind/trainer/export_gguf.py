"""llama.cpp's own HF -> GGUF converter, taken from the llama-cpp-python source release of the installed version.

Why this converter: it knows every architecture llama.cpp knows (not only the llama family), writes the
tokenizer and chat template, and matches the llama.cpp that serves the result. It needs the gguf-py that
ships beside it, so the three parts (script, conversion/, gguf-py/) are unpacked together into the cache.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from foldermind.atomic import replace_durably
from foldermind.cache import cache_dir
from foldermind.errors import ModelError

log = logging.getLogger(__name__)
PARTS = ("convert_hf_to_gguf.py", "conversion/", "gguf-py/")


def converter_dir() -> Path:
    version = importlib.metadata.version("llama-cpp-python")
    return cache_dir() / f"llama.cpp-convert-{version}"


def ensure_converter() -> Path:
    """The converter script, fetched once from PyPI (the sdist of the installed llama-cpp-python)."""
    folder = converter_dir()
    script = folder / "convert_hf_to_gguf.py"
    if script.is_file():
        return script
    version = importlib.metadata.version("llama-cpp-python")
    log.info("Fetching llama.cpp's converter (llama-cpp-python %s source, once)", version)
    with tempfile.TemporaryDirectory() as download:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "--quiet",
                f"llama-cpp-python=={version}",
                "-d",
                download,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        archives = list(Path(download).glob("llama_cpp_python-*.tar.gz"))
        if done.returncode != 0 or not archives:
            raise ModelError(
                "Could not fetch llama.cpp's GGUF converter from PyPI "
                f"({done.stderr.strip()[-300:]}). Connect to the network once and run `foldermind doctor`."
            )
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        with tarfile.open(archives[0]) as archive:
            prefix = f"{archive.getmembers()[0].name.split('/')[0]}/vendor/llama.cpp/"
            for member in archive.getmembers():
                relative = member.name.removeprefix(prefix)
                if member.name.startswith(prefix) and relative.startswith(PARTS) and member.isfile():
                    member.name = relative
                    archive.extract(member, partial, filter="data")
        replace_durably(partial, folder)
    return script


def converter_outtypes(script: Path) -> set[str]:
    """The --outtype choices the converter script offers (f32, f16, bf16, q8_0... in 0.3.36)."""
    found = re.search(r'"--outtype".*?choices=\[([^\]]*)\]', script.read_text(encoding="utf-8"), re.DOTALL)
    return set(re.findall(r'"(\w+)"', found.group(1))) if found else set()


def gguf_outtype(hf_folder: Path, script: Path) -> tuple[str, str]:
    """(outtype, why): the weights as they are stored. bf16 stays "bf16" (no rounding, and no value beyond f16's
    range) when the converter writes bf16, else "f16"; float32 stays "f32" (a merged model: a 16-bit file would
    round away part of the LoRA update, trainer/merge.py); float16 is "f16"."""
    config = json.loads((hf_folder / "config.json").read_text(encoding="utf-8"))
    dtype = config.get("dtype") or config.get("torch_dtype") or "float32"
    if dtype == "bfloat16":
        if "bf16" in converter_outtypes(script):
            return "bf16", "the weights are bfloat16 and the converter writes them as they are"
        return "f16", "the weights are bfloat16 but this llama.cpp converter cannot write bf16"
    if dtype == "float32":
        return "f32", "the weights are float32 (a merged model is): 16 bits would round away part of what it learned"
    return "f16", f"the weights are {dtype}"


def convert_to_gguf(hf_folder: Path, outfile: Path, outtype: str | None = None) -> Path:
    """The HF folder as a GGUF file at `outfile`, in `outtype` (None: gguf_outtype chooses, and the log says
    why). Raises ModelError with the converter's message when it fails."""
    script = ensure_converter()
    if outtype is None:
        outtype, why = gguf_outtype(hf_folder, script)
        log.info("GGUF export in %s: %s", outtype, why)
    done = subprocess.run(
        [sys.executable, str(script), str(hf_folder), "--outfile", str(outfile), "--outtype", outtype],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not outfile.is_file():
        raise ModelError(f"GGUF export failed: {done.stderr.strip()[-800:]}")
    return outfile


if __name__ == "__main__":  # `python -m foldermind.trainer.export_gguf`: the set-up fetches it ahead of time
    print(ensure_converter())
