#!/usr/bin/env bash
# Creates .venv with everything foldermind needs. Safe to run again: it skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

python="${PYTHON:-python3}"
stamp=.venv/.installed
want="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)"

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/pip install --quiet --upgrade pip
  # The CPU wheel of torch; an unpinned torch pulls a multi-GB CUDA build.
  .venv/bin/pip install --quiet torch==2.13.0
  # llama-cpp-python compiles llama.cpp (minutes, once; pip caches the wheel). LLaVA is not needed.
  CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}" .venv/bin/pip install --quiet -e ".[dev]"
  # llama.cpp's GGUF converter (from the llama-cpp-python source release) for the nightly export.
  .venv/bin/python -m foldermind.trainer.export_gguf >/dev/null
  echo "$want" > "$stamp"
fi
