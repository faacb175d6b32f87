"""The optional OCR engine: rapidocr on onnxruntime, with the PP-OCR models its wheel ships.

Installed by the ``ocr`` extra (``pip install -e '.[ocr]'``); without it :func:`engine`
is None and a scanned page stays a scanned page with the reason saying what to install.
The models (PP-OCRv4 detection and recognition for Chinese and Latin) are files inside
the ``rapidocr_onnxruntime`` wheel, so OCR runs offline; nothing is fetched at run time.

:func:`recognise` runs one page image and returns the text boxes in pixels with the
engine's confidence. A page is bounded in time: where the process can take a timer
signal (the main thread, as in the run's worker processes), the engine is interrupted
after ``page_seconds``; elsewhere a page that took longer is refused afterwards.
"""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

OCR_MISSING = "scanned pages: install the ocr extra (pip install -e '.[ocr]') to read them with OCR"
ENGINE_NAME = "rapidocr-onnxruntime (PP-OCRv4)"


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """``dpi``: resolution a scanned page is rendered at; ``page_seconds``: time one page may take;
    ``max_pages``: pages OCR'd per document and ``document_seconds``: OCR time per document
    (past either, the rest stay scanned, with a note; a run sets the time from its per-document
    time limit so a long scan is read in part rather than stopped whole);
    ``min_box_confidence``: text the engine is less sure of is dropped as noise;
    ``min_figure_confidence``: a figure read with less confidence is held back (left blank,
    counted per page) rather than loaded; ``max_side``: the detector's image size cap."""

    enabled: bool = True
    dpi: int = 200
    page_seconds: float = 60.0
    document_seconds: float | None = None  # OCR time for one document (None: the page cap alone bounds it)
    max_pages: int = 60
    min_box_confidence: float = 0.5
    min_figure_confidence: float = 0.9
    max_side: int = 2000

    def __post_init__(self) -> None:
        if self.dpi < 50 or self.page_seconds <= 0 or self.max_pages < 0 or self.max_side < 500:
            raise ValueError("OcrSettings: dpi >= 50, page_seconds > 0, max_pages >= 0, max_side >= 500")
        if not (0 <= self.min_box_confidence <= 1 and 0 <= self.min_figure_confidence <= 1):
            raise ValueError("OcrSettings confidences must be in [0, 1]")


@dataclass(frozen=True, slots=True)
class Box:
    """A text box in image pixels (``x0 < x1``, ``top < bottom``) and the engine's confidence."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float


class OcrTimeout(Exception):
    """One page took longer than ``page_seconds``."""


def available() -> bool:
    return engine(2000) is not None


@lru_cache(maxsize=4)
def engine(max_side: int) -> Any | None:
    """The engine (loaded once per process and size), or None without the ocr extra."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    return RapidOCR(use_cls=False, max_side_len=max_side, print_verbose=False)


def recognise(image: Any, settings: OcrSettings, seconds: float | None = None) -> list[Box]:
    """The text boxes of one page image (a PIL image or an array); OcrTimeout past ``seconds``
    (default: the page limit)."""
    import numpy as np

    ocr = engine(settings.max_side)
    if ocr is None:
        raise RuntimeError(OCR_MISSING)
    pixels = np.asarray(image.convert("RGB") if hasattr(image, "convert") else image)
    limit = settings.page_seconds if seconds is None else min(seconds, settings.page_seconds)
    started = time.perf_counter()
    with _deadline(limit):
        result, _ = ocr(pixels)
    if time.perf_counter() - started > limit:
        raise OcrTimeout()
    boxes = []
    for points, text, score in result or []:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes.append(Box(str(text), float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)), float(score)))
    return boxes


class _deadline:
    """SIGALRM after ``seconds`` where signals can be taken (the main thread), else nothing. The handler
    raises :class:`OcrTimeout`; when the alarm comes while onnxruntime runs the model, onnxruntime
    re-raises it as its own error (``ONNXRuntimeError: …OcrTimeout``), which leaves the block as the
    timeout it is. An engine error with no alarm stays what it was."""

    def __init__(self, seconds: float):
        self.seconds, self.fired = seconds, False
        self.armed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")

    def __enter__(self) -> None:
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        if self.fired and isinstance(error, Exception) and not isinstance(error, OcrTimeout):
            raise OcrTimeout() from error

    def _expired(self, signum: int, frame: object) -> None:
        self.fired = True
        raise OcrTimeout()
