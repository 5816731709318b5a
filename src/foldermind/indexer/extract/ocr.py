"""Text in pictures by OCR, offline on the CPU, for images (extract_image) and PDF pages without a text layer
(pdf.py renders them first). Two engines, the better one that is installed:

- Debian's tesseract (`apt-get install tesseract-ocr`; scripts/setup.sh installs it where it can), run as
  a program: on pages of printed prose it misread 1 character in 1,000, where RapidOCR misread 28 in 100,
  dropping the spaces between English words and whole lines (bench/media_bench.py, bench/RESULTS.md).
- RapidOCR (PaddleOCR's PP-OCRv4 models run by ONNX Runtime, shipped in the rapidocr_onnxruntime wheel), so
  that pictures are read on a machine without tesseract too, with nothing to download.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
from pathlib import PurePath
from typing import Any, Literal

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import DEFAULT_MEDIA, Extracted, Media, Section

OCR_HEADING = "OCR"  # the heading of text read by OCR: a location then reads `page 2 (OCR)`
MIN_CONFIDENCE = 0.5  # recognised text scored below this is noise (RapidOCR's own default)
PARAGRAPH_GAP = 1.5  # a blank more than this many lines high between two lines of text ends a paragraph
MAX_FRAMES = 200  # pages of a multi-page TIFF read at most
MAX_PIXELS = 40_000_000  # a bigger picture is scaled down to this before OCR (a phone photo has 12-50 million)
TESSERACT_TIMEOUT = 300  # seconds for one page before tesseract is given up on
Engine = Literal["auto", "tesseract", "rapidocr"]
_engine: Any = None
_engine_lock = threading.Lock()  # one engine, loaded once; ONNX Runtime runs one image at a time on all cores


def _rapidocr() -> Any:
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR  # 1 s to load: only when a picture is read

        _engine = RapidOCR(text_score=MIN_CONFIDENCE)
    return _engine


def _lines(found: list[tuple[list[list[float]], str, float]]) -> list[str]:
    """Recognised boxes as lines in reading order: a box joins the line whose vertical middle its own middle
    lies within half a line's height of; lines top to bottom, boxes in a line left to right; a gap of more than
    PARAGRAPH_GAP lines between two lines is a paragraph break (an empty line)."""
    boxes = sorted(
        (min(y for _, y in box), max(y for _, y in box), min(x for x, _ in box), text) for box, text, _ in found
    )
    lines: list[list[tuple[float, float, float, str]]] = []
    for box in boxes:
        middle = (box[0] + box[1]) / 2
        line = lines[-1] if lines else None
        if line is not None and abs(middle - (line[0][0] + line[0][1]) / 2) < (line[0][1] - line[0][0]) / 2:
            line.append(box)
        else:
            lines.append([box])
    out: list[str] = []
    for i, line in enumerate(lines):
        height = line[0][1] - line[0][0]
        if i and line[0][0] - lines[i - 1][0][1] > PARAGRAPH_GAP * height:
            out.append("")
        out.append(" ".join(text for *_, text in sorted(line, key=lambda b: b[2])))
    return out


def default_engine() -> Literal["tesseract", "rapidocr"]:
    """tesseract where it is installed, else RapidOCR."""
    return "tesseract" if shutil.which("tesseract") else "rapidocr"


def _tesseract(image: Image.Image, language: str) -> str:
    """tesseract's reading of the picture, paragraphs separated by an empty line (its own layout analysis)."""
    png = io.BytesIO()
    image.save(png, format="PNG")
    try:
        done = subprocess.run(
            ["tesseract", "-", "-", "-l", language],
            input=png.getvalue(),
            capture_output=True,
            timeout=TESSERACT_TIMEOUT,
            # Its OpenMP threads slow a busy machine down (its docs): on the 2 shared cores, 1.2 s a page at
            # 300 dpi with one thread, 3.1 s with as many as it likes, 16.9 s with 2 (`media_bench.py tesseract`).
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired:
        raise ExtractionError(f"OCR gave up on a page after {TESSERACT_TIMEOUT} s") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise ExtractionError(f"tesseract could not read the picture: {reason[0]}")
    return done.stdout.decode("utf-8", errors="replace").replace("\f", "").strip()


def ocr_image(image: Image.Image, engine: Engine = "auto", language: str = DEFAULT_MEDIA.ocr_language) -> str:
    """The text in a picture (any mode; oriented as stored), lines in reading order; "" when none is found.
    "auto" is default_engine(); `language` is tesseract's (RapidOCR's shipped models read Chinese and English).
    Raises ExtractionError when tesseract fails (a language not installed) or times out."""
    if engine == "tesseract" or (engine == "auto" and default_engine() == "tesseract"):
        return _tesseract(image, language)
    with _engine_lock:
        found, _ = _rapidocr()(image.convert("RGB"))
    return "\n".join(_lines(found or []))


def _scaled(frame: Image.Image) -> Image.Image:
    area = frame.width * frame.height
    if area <= MAX_PIXELS:
        return frame
    factor = (MAX_PIXELS / area) ** 0.5
    return frame.resize((int(frame.width * factor), int(frame.height * factor)), Image.Resampling.LANCZOS)


def _frames(data: bytes) -> list[Image.Image]:
    """The picture's frames (pages of a TIFF), turned as the camera's EXIF says and at most MAX_PIXELS each."""
    try:
        picture = Image.open(io.BytesIO(data))
        frames = [
            _scaled(ImageOps.exif_transpose(frame.copy()))
            for _, frame in zip(range(MAX_FRAMES), ImageSequence.Iterator(picture), strict=False)
        ]
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise ExtractionError(f"not a readable image ({exc}); re-save it as PNG or JPEG") from exc
    return frames


def extract_image(data: bytes, path: PurePath, media: Media = DEFAULT_MEDIA) -> Extracted:
    """The text OCR finds in the picture: a section headed `OCR`, one per page (numbered) of a multi-page TIFF.

    Raises ExtractionError for a file that is not a readable image (a damaged one, one over Pillow's limit of
    pixels, a decompression bomb), and for a picture with no text in it (a photo): it has nothing to search."""
    frames = _frames(data)
    texts = [ocr_image(frame, media.ocr_engine, media.ocr_language) for frame in frames]
    numbered = len(frames) > 1
    sections = [
        Section(text=text, heading=(OCR_HEADING,), page=number if numbered else None)
        for number, text in enumerate(texts, start=1)
        if text.strip()
    ]
    if not sections:
        raise ExtractionError("no text found in the picture by OCR (a photo?); there is nothing to search in it")
    return Extracted(sections=sections)
