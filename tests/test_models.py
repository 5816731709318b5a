"""The bundled model is served as a faster copy of the same weights, made once per user; when that copy
cannot be made, the shipped file is served instead, so answers never stop."""

from __future__ import annotations

from pathlib import Path

import pytest
from llama_cpp import Llama

from foldermind.llama import load_llama
from foldermind.models import base_version, bundled_gguf, served_bundled
from foldermind.trainer.evaluate import gguf_perplexity, load_for_scoring, perplexity

TEXT = (
    "The tar command stores many files in one archive file. Use the create option to make a new archive, "
    "the extract option to unpack it, and the list option to see what is inside before you unpack it."
)
Q8_0 = 7  # llama.cpp's file type number for "mostly Q8_0"


def test_the_bundled_model_is_served_as_a_q8_0_copy_of_the_same_weights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLDERMIND_CACHE", str(tmp_path / "cache"))
    served = served_bundled()
    assert served.is_relative_to(tmp_path / "cache") and served.name.endswith(".Q8_0.gguf")
    made = served.stat().st_mtime_ns
    assert served_bundled() == served and served.stat().st_mtime_ns == made  # made once
    assert base_version("").path == served
    header = Llama(model_path=str(served), vocab_only=True, verbose=False).metadata
    assert int(header["general.file_type"]) == Q8_0
    assert gguf_perplexity(served, [TEXT]) == pytest.approx(
        gguf_perplexity(bundled_gguf(), [TEXT]), rel=0.03
    )  # one short sentence


def test_when_the_copy_cannot_be_made_the_shipped_file_is_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FOLDERMIND_CACHE", str(blocker / "cache"))
    assert served_bundled() == bundled_gguf()


def test_the_bundled_model_generates_on_this_cpu() -> None:
    # On a CPU with AMX, llama.cpp's repacked weights crashed the process on the first token (foldermind/llama.py).
    llama = load_llama(bundled_gguf(), n_ctx=256, n_threads=1, verbose=False)
    reply = llama.create_completion("The capital of France is", max_tokens=4, temperature=0)
    assert "Paris" in reply["choices"][0]["text"]


def test_a_title_line_is_read_before_its_text_and_not_scored() -> None:
    llama = load_for_scoring(bundled_gguf())
    try:
        junk = "Qzx Vrrk (notes/xq_zz9/qq.md > Zzv Qopp)\n\n"  # an unlikely line: scored, it would dominate
        whole = perplexity(llama, [junk + TEXT])
        after = perplexity(llama, [TEXT], [junk])
    finally:
        llama.close()
    assert after < 0.8 * whole  # the line's own surprise is not counted, only the text's after it
