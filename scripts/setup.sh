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
  .venv/bin/pip install --quiet --retries 10 --upgrade pip
  # A connection cut in the middle of a large wheel (opencv's 79 MB) failed a CI run after pip's 5 resumes:
  # the new pip resumes more often, and each install is tried 3 times (pip's cache keeps what arrived).
  pip_install() {
    local try
    for try in 1 2 3; do
      .venv/bin/pip install --quiet --retries 10 --resume-retries 20 "$@" && return 0
      echo "setup: pip install failed (try $try of 3)" >&2
      sleep 5
    done
    return 1
  }
  # The CPU wheel of torch; an unpinned torch pulls a multi-GB CUDA build.
  pip_install torch==2.13.0
  # llama-cpp-python compiles llama.cpp (minutes, once; pip caches the wheel). LLaVA is not needed.
  CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}" pip_install -e ".[dev]"
  # llama.cpp's GGUF converter (from the llama-cpp-python source release) for the nightly export.
  .venv/bin/python -m foldermind.trainer.export_gguf >/dev/null
  echo "$want" > "$stamp"
fi
