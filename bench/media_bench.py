"""Scans and recordings, measured: OCR character error rate and seconds per page at 150 and 300 dpi, with
Debian's tesseract in the same run (`ocr`); speech word error rate and real-time factor (`speech`); and recall@5
of search over the OCR'd and the transcribed documents against the same documents as clean text (`recall`).

The text is prose nobody on the project wrote: paragraphs of Markdown guides Debian packages install, made
plain by pandoc. Pages are typeset by fpdf2 (Helvetica 11 pt) and rendered by PDFium in grey, as a flatbed
scan of a clean print would be, then saved as a PDF of images: what foldermind reads is that PDF. Speech is
espeak-ng reading each page (en-us, 160 words a minute). Errors are edit distances over the reference's
length: of characters after case folding and joining runs of white space (OCR), of words after case folding
and leaving out punctuation (speech). Questions for recall are the
first 12 words of the second sentence of each page, asked of an index of the pages in one form beside
DISTRACTORS other pages of the same guides as clean text.

Needs pandoc, espeak-ng and (for its column) tesseract-ocr, Debian packages.

    .venv/bin/python bench/media_bench.py [ocr] [speech] [recall] [decoding] [tesseract] [--pages N] [--skip N]

`decoding` and `tesseract` try other settings of faster-whisper and of tesseract beside the ones foldermind
uses, on the same material in the same run (run only when named).
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

import pypdfium2 as pdfium
from fpdf import FPDF
from PIL import Image, ImageOps

from common import median, temporary_home
from foldermind.indexer.extract import extract
from foldermind.indexer.extract.audio import DECODING, SAMPLE_RATE, SHIPPED_MODEL, decode_recording, speech_model
from foldermind.indexer.extract.ocr import default_engine, ocr_image
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.search import search

SOURCES = sorted(Path("/usr/share/doc/systemd").glob("*.md.gz")) + sorted(
    Path("/usr/share/doc/nodejs/api").glob("*.md")
)
DISTRACTORS = 40  # pages of clean text beside the measured ones in each recall index
PAGE_WORDS = 120  # words on a page: about 800 characters of prose, half a printed page
PROSE = re.compile(r"[A-Za-z][A-Za-z ,.;:'()-]+")
BRACKETS = re.compile(r"[()\[\]<>]")


def pages_of_prose(count: int) -> list[str]:
    """`count` texts of about PAGE_WORDS words, whole paragraphs of running prose (no code, no tables)."""
    paragraphs: list[str] = []
    for source in SOURCES:
        raw = source.read_bytes()
        markdown = (gzip.decompress(raw) if source.suffix == ".gz" else raw).decode()
        plain = subprocess.run(
            ["pandoc", "-f", "markdown", "-t", "plain", "--wrap=none"],
            input=markdown,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for paragraph in plain.split("\n\n"):
            words = paragraph.split()
            if len(words) >= 30 and sum(PROSE.fullmatch(w) is not None for w in words) > 0.95 * len(words):
                paragraphs.append(" ".join(words))
    pages, current = [], []
    for paragraph in paragraphs:
        current.append(paragraph)
        if sum(len(p.split()) for p in current) >= PAGE_WORDS:
            pages.append("\n\n".join(current))
            current = []
            if len(pages) == count:
                return pages
    return pages


def folded(text: str) -> str:
    return " ".join(text.casefold().split())


def words_of(text: str) -> list[str]:
    """The words a listener hears: case folded, punctuation left out (as speech recognition is scored)."""
    return re.findall(r"[\w']+", text.casefold().replace("’", "'"))


def edit_distance(a: list[str] | str, b: list[str] | str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def normalised_words(text: str) -> list[str]:
    """The words as Whisper's English text normaliser leaves them, the normalisation speech recognition is
    scored with in the field (the Open ASR Leaderboard, Whisper's paper): also numbers as digits, British
    spellings as American, contractions and abbreviations spelled out, hyphens and other symbols as spaces."""
    from whisper_normalizer.english import EnglishTextNormalizer  # OpenAI's code, packaged (MIT)

    return EnglishTextNormalizer()(text).split()


def error_rate(reference: str, hypothesis: str, words: bool = False) -> float:
    if words:
        return edit_distance(words_of(reference), words_of(hypothesis)) / len(words_of(reference))
    ref, hyp = folded(reference), folded(hypothesis)
    return edit_distance(ref, hyp) / len(ref)


def normalised_error_rate(reference: str, hypothesis: str) -> float:
    """Word error rate after Whisper's English text normaliser (normalised_words). The normaliser drops words
    in brackets, which in a transcript are notes of sounds ("[music]"); espeak-ng speaks the words in a page's
    brackets, and its speech has no other sounds, so brackets are read as spaces on both sides first. The
    normaliser knows the ASCII apostrophe only (it reads "don’t" as "don t", "don't" as "do not"), so the
    typographic one is made ASCII first, as words_of does."""

    def spoken(text: str) -> list[str]:
        return normalised_words(BRACKETS.sub(" ", text).replace("’", "'"))

    ref = spoken(reference)
    return edit_distance(ref, spoken(hypothesis)) / len(ref)


def typeset(text: str) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, text.encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())


def scan(text: str, dpi: int) -> Image.Image:
    document = pdfium.PdfDocument(typeset(text))
    return document[0].render(scale=dpi / 72).to_pil().convert("L")


def scanned_pdf(text: str, dpi: int) -> bytes:
    buffer = io.BytesIO()
    scan(text, dpi).save(buffer, format="PDF", resolution=dpi)
    return buffer.getvalue()


def row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def bench_ocr(pages: list[str]) -> None:
    engines = {"RapidOCR 1.4 (PP-OCRv4)": "rapidocr"}
    if shutil.which("tesseract"):
        version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split()[1]
        engines[f"tesseract {version}"] = "tesseract"
    ocr_image(scan("warm up", 150), "rapidocr")  # the engine loads once per process, as in the daemon
    print("\n### OCR of rendered pages (median over pages)\n")
    print(row("engine", "dpi", "character error rate", "s/page", "n"))
    print(row(*["---"] * 5))
    for name, engine in engines.items():
        for dpi in (150, 300):
            errors, seconds = [], []
            for text in pages:
                image = scan(text, dpi)
                started = time.perf_counter()
                found = ocr_image(image, engine)
                seconds.append(time.perf_counter() - started)
                errors.append(error_rate(text, found))
            print(row(name, dpi, f"{median(errors):.4f}", f"{median(seconds):.2f}", len(pages)))


def speech_of(text: str, folder: Path, name: str) -> Path:
    path, script = folder / f"{name}.wav", folder / f"{name}.txt"
    script.write_text(text)
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(path), "-f", str(script)], check=True)
    return path


def transcript(path: Path) -> str:
    return extract(path.read_bytes(), PurePosixPath(path.name)).text


def bench_speech(pages: list[str], folder: Path) -> None:
    import av

    speech_of("warm up", folder, "warm")
    transcript(folder / "warm.wav")
    errors, normalised, factors, durations = [], [], [], []
    for number, text in enumerate(pages):
        path = speech_of(text, folder, f"page{number}")
        with av.open(str(path)) as container:
            duration = container.duration / av.time_base
        started = time.perf_counter()
        found = transcript(path)
        factors.append((time.perf_counter() - started) / duration)
        errors.append(error_rate(text, found, words=True))
        normalised.append(normalised_error_rate(text, found))
        durations.append(duration)
    print(
        f"\n### Speech of the same pages by espeak-ng, faster-whisper tiny.en int8, {DECODING} "
        "(median over recordings)\n"
    )
    print(
        row(
            "word error rate (Whisper's normaliser)",
            "word error rate (case, punctuation)",
            "real-time factor",
            "recording length (s)",
            "n",
        )
    )
    print(row(*["---"] * 5))
    print(
        row(
            f"{median(normalised):.4f}",
            f"{median(errors):.4f}",
            f"{median(factors):.3f}",
            f"{median(durations):.0f}",
            len(pages),
        )
    )


# Decoding settings of faster-whisper tried against the one audio.py uses, on the same recordings.
DECODINGS: dict[str, dict[str, object]] = {
    "audio.py's": DECODING,
    "previous text as prompt (faster-whisper's default)": {**DECODING, "condition_on_previous_text": True},
    "temperature fallback (faster-whisper's default)": {
        **DECODING,
        "temperature": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
    },
    "both of faster-whisper's defaults (audio.py's before)": {
        **DECODING,
        "condition_on_previous_text": True,
        "temperature": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
    },
    "beam 8": {**DECODING, "beam_size": 8},
    "beam 5, patience 2": {**DECODING, "patience": 2.0},
    "no voice activity filter": {**DECODING, "vad_filter": False},
}


def bench_decoding(pages: list[str], folder: Path) -> None:
    """Each of DECODINGS on the same recordings, in one run: word error rate and real-time factor."""
    model = speech_model(SHIPPED_MODEL)
    recordings = []
    for number, text in enumerate(pages):
        samples, _ = decode_recording(speech_of(text, folder, f"decoding{number}").read_bytes())
        recordings.append((text, samples))
    model.transcribe(recordings[0][1][:SAMPLE_RATE], **DECODING)  # warm up
    print("\n### Decoding settings of faster-whisper tiny.en int8 on the same recordings (median over recordings)\n")
    print(row("settings", "WER (Whisper's normaliser)", "WER (case, punctuation)", "real-time factor", "n"))
    print(row(*["---"] * 5))
    found_by: dict[str, tuple[list[float], list[float], list[float]]] = {name: ([], [], []) for name in DECODINGS}
    for text, samples in recordings:  # the settings take turns on each recording: a change of load hits all alike
        for name, settings in DECODINGS.items():
            normalised, errors, factors = found_by[name]
            started = time.perf_counter()
            segments, _ = model.transcribe(samples, **settings)
            found = " ".join(segment.text.strip() for segment in segments)
            factors.append((time.perf_counter() - started) / (len(samples) / SAMPLE_RATE))
            errors.append(error_rate(text, found, words=True))
            normalised.append(normalised_error_rate(text, found))
    for name, (normalised, errors, factors) in found_by.items():
        cells = [f"{median(normalised):.4f}", f"{median(errors):.4f}", f"{median(factors):.3f}"]
        print(row(name, *cells, len(recordings)))


# tesseract's ways of reading a 300 dpi page tried against ocr.py's: (options, its OpenMP threads, the dpi the
# page is scaled to first).
TESSERACT_WAYS: dict[str, tuple[list[str], str | None, int]] = {
    "ocr.py's (1 thread, 300 dpi)": ([], "1", 300),
    "OpenMP threads as it likes": ([], None, 300),
    "2 OpenMP threads": ([], "2", 300),
    "scaled to 200 dpi first": ([], "1", 200),
    "scaled to 225 dpi first": ([], "1", 225),
    "one block of text (--psm 6)": (["--psm", "6"], "1", 300),
    "no second reading of inverted lines": (["-c", "tessedit_do_invert=0"], "1", 300),
}


def tesseract(image: Image.Image, options: list[str], threads: str | None) -> str:
    png = io.BytesIO()
    image.save(png, format="PNG")
    env = {key: value for key, value in os.environ.items() if key != "OMP_THREAD_LIMIT"}
    if threads:
        env["OMP_THREAD_LIMIT"] = threads
    command = ["tesseract", "-", "-", "-l", "eng", *options]
    return subprocess.run(command, input=png.getvalue(), capture_output=True, env=env, check=True).stdout.decode()


def bench_tesseract(pages: list[str]) -> None:
    """Each of TESSERACT_WAYS on the same 300 dpi renders, in one run: character error rate and s/page (the
    seconds include scaling the picture and writing it as PNG, as ocr.py does), and the character error rate
    on the same renders inverted, light text on dark as in a screenshot of a dark theme (not timed)."""
    scans = [scan(text, 300) for text in pages]
    print("\n### tesseract's settings on pages rendered at 300 dpi (median over pages)\n")
    print(row("settings", "character error rate", "s/page", "character error rate, light on dark", "n"))
    print(row(*["---"] * 5))
    read_by: dict[str, tuple[list[float], list[float], list[float]]] = {name: ([], [], []) for name in TESSERACT_WAYS}
    for text, page in zip(pages, scans, strict=True):  # the ways take turns on each page, as in bench_decoding
        for name, (options, threads, dpi) in TESSERACT_WAYS.items():
            errors, seconds, inverted = read_by[name]
            started = time.perf_counter()
            image = page
            if dpi != 300:
                image = page.resize((page.width * dpi // 300, page.height * dpi // 300), Image.Resampling.LANCZOS)
            found = tesseract(image, options, threads)
            seconds.append(time.perf_counter() - started)
            errors.append(error_rate(text, found))
            inverted.append(error_rate(text, tesseract(ImageOps.invert(image), options, threads)))
    for name, (errors, seconds, inverted) in read_by.items():
        cells = [f"{median(errors):.4f}", f"{median(seconds):.2f}", f"{median(inverted):.4f}"]
        print(row(name, *cells, len(pages)))


def question(text: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    return " ".join((sentences[1] if len(sentences) > 1 else sentences[0]).split()[:12])


def recall_at_5(files: dict[str, bytes], pages: list[str], distractors: list[str]) -> float:
    config = temporary_home()
    for number, text in enumerate(distractors):
        (config.context_dir / f"other{number}.txt").write_text(text)
    for name, data in files.items():
        path = config.context_dir / name
        path.write_bytes(data)
    index = Index(config)
    try:
        report = index_folder(index)
        if report.failed:
            print(f"(failed: {report.failed})", file=sys.stderr)
        names = list(files)
        found = [names[i] in [hit.path for hit in search(index, question(text), k=5)] for i, text in enumerate(pages)]
    finally:
        index.close()
    return sum(found) / len(found)


def bench_recall(pages: list[str], distractors: list[str], folder: Path) -> None:
    forms = {
        "clean text (.txt)": {f"page{i}.txt": text.encode() for i, text in enumerate(pages)},
        f"scans at 300 dpi (.pdf, OCR by {default_engine()})": {
            f"page{i}.pdf": scanned_pdf(text, 300) for i, text in enumerate(pages)
        },
        "speech (.wav, transcribed)": {
            f"page{i}.wav": speech_of(text, folder, f"recall{i}").read_bytes() for i, text in enumerate(pages)
        },
    }
    print("\n### Recall@5: the page found in the top 5 for a question from its text (hybrid search)\n")
    print(row("documents", "recall@5", "n"))
    print(row(*["---"] * 3))
    for name, files in forms.items():
        print(row(name, f"{recall_at_5(files, pages, distractors):.2f}", len(pages)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="*", default=["ocr", "speech", "recall"])  # decoding, tesseract: on demand
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--skip", type=int, default=0, help="pages left out first: --skip 8 measures pages 9-16")
    args = parser.parse_args()
    pool = pages_of_prose(args.skip + args.pages + DISTRACTORS)
    pages, distractors = pool[args.skip : args.skip + args.pages], pool[args.skip + args.pages :]
    with tempfile.TemporaryDirectory() as folder:
        if "ocr" in args.parts:
            bench_ocr(pages)
        if "speech" in args.parts:
            bench_speech(pages, Path(folder))
        if "decoding" in args.parts:
            bench_decoding(pages, Path(folder))
        if "tesseract" in args.parts:
            bench_tesseract(pages)
        if "recall" in args.parts:
            bench_recall(pages, distractors, Path(folder))


if __name__ == "__main__":
    main()
