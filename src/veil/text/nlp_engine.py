"""The one NLP-engine abstraction of veil.text: a spaCy pipeline that yields entities.

Both the English modes (:mod:`veil.text.ner`, which maps spaCy's labels onto Veil's types
with its English rules) and the multilingual ones (:mod:`veil.text.multilingual.models`)
hold a :class:`SpacyNlpEngine`; only the loader and the label mapping differ.

What it does for every caller:

- loads the pipeline lazily, once, thread-safely, and loads it again once its vocabulary has
  grown by ``VOCAB_GROWTH_LIMIT`` strings (bounded memory in a long-running service);
- cuts long texts into chunks of at most ``CHUNK_CHARS`` at paragraph, line or sentence ends
  (:func:`chunk_spans`); each chunk is read with ``CHUNK_OVERLAP`` characters of its
  neighbours, and an entity belongs to the chunk it starts in, so an entity across a chunk
  border is found whole, once; offsets are mapped back onto the text;
- runs the chunks through ``nlp.pipe`` in turns of at most ``TURN_CHARS`` characters: the
  pipeline is held (spaCy does not document concurrent calls as safe) only for one turn, and
  turns are granted first come, first served (:class:`FairLock`), so a short request waits
  for at most one turn of a large one instead of the whole large request.
"""

from __future__ import annotations

import gc
import re
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any

CHUNK_CHARS = 5_000
CHUNK_OVERLAP = 200
TURN_CHARS = 25_000
BATCH_SIZE = 256  # larger batches make the matrix products cheaper per doc (measured +5-10 %)

# spaCy keeps every new word it meets in its vocabulary and string store for the life of the
# pipeline: a service reading arbitrary text would grow without bound. Past this many strings
# added since loading, the pipeline is dropped and loaded again on next use (a 1-3 s pause, a
# few hundred MB at most in between). spaCy's memory_zone would free them after every call, but
# re-creating the words of each request costs more than the model's run on short texts.
VOCAB_GROWTH_LIMIT = 2_000_000

RawEntity = tuple[int, int, str]  # (start, end, spaCy label) in the caller's text

PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
SENTENCE_END = re.compile(r"[.!?。！？][\"')\]]*[ \t]+(?=\S)")


class FairLock:
    """A lock granted in the order it was asked for (``threading.Lock`` lets the thread that
    just released it take it straight back, which would starve a waiting short request)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    def __enter__(self) -> None:
        with self._lock:
            if not self._held:
                self._held = True
                return
            gate = threading.Lock()
            gate.acquire()
            self._waiters.append(gate)
        gate.acquire()  # released by the holder handing over its turn

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().release()  # ownership passes on; _held stays True
            else:
                self._held = False


def _cut(text: str, start: int, limit: int) -> int:
    """The end of the chunk starting at ``start``: the last paragraph end, else line end, else
    sentence end, else space within ``limit`` characters (past half of it); else ``limit``."""
    end = start + limit
    if end >= len(text):
        return len(text)
    half = start + limit // 2
    for pattern in (PARAGRAPH_END, None, SENTENCE_END):
        if pattern is None:
            cut = text.rfind("\n", half, end)
            if cut >= 0:
                return cut + 1
            continue
        last = None
        for m in pattern.finditer(text, half, end):
            last = m
        if last is not None:
            return last.end()
    cut = text.rfind(" ", half, end)
    return cut + 1 if cut >= 0 else end


def chunk_spans(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive chunks covering ``text``, each at most ``limit`` characters,
    cut at paragraph, line or sentence ends where there is one."""
    if len(text) <= limit:
        return [(0, len(text))]
    out = []
    start = 0
    while start < len(text):
        end = _cut(text, start, limit)
        out.append((start, end))
        start = end
    return out


def _widen(text: str, start: int, end: int, overlap: int) -> tuple[int, int]:
    """The chunk with up to ``overlap`` characters of its neighbours, cut at whitespace."""
    lo = max(0, start - overlap)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else start
    hi = min(len(text), end + overlap)
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else end
    return lo, hi


Piece = tuple[int, int, int, int, int]  # (text index, read from, read to, keep from, keep to)


def _pieces(texts: Sequence[str]) -> list[Piece]:
    out: list[Piece] = []
    for i, text in enumerate(texts):
        spans = chunk_spans(text)
        if len(spans) == 1:
            out.append((i, 0, len(text), 0, len(text) + 1))
            continue
        for start, end in spans:
            lo, hi = _widen(text, start, end, CHUNK_OVERLAP)
            out.append((i, lo, hi, start, end))
    return out


def _turns(pieces: list[Piece]) -> Iterator[list[Piece]]:
    turn: list[Piece] = []
    size = 0
    for p in pieces:
        if turn and size + (p[2] - p[1]) > TURN_CHARS:
            yield turn
            turn, size = [], 0
        turn.append(p)
        size += p[2] - p[1]
    if turn:
        yield turn


class SpacyNlpEngine:
    """One spaCy pipeline shared by all requests (see the module docstring)."""

    def __init__(self, name: str, load: Callable[[], Any]) -> None:
        self.name = name
        self._load_fn = load
        self._nlp: Any = None
        self._strings_at_load = 0
        self._load_lock = threading.Lock()
        self._turn = FairLock()

    def pipeline(self) -> Any:
        """The loaded spaCy ``Language`` (loaded on first use)."""
        nlp = self._nlp
        if nlp is None:
            with self._load_lock:
                if self._nlp is None:
                    loaded = self._load_fn()
                    self._strings_at_load = len(loaded.vocab.strings)
                    self._nlp = loaded
                    freeze_loaded_heap()
                nlp = self._nlp
        return nlp

    def known_word(self) -> Callable[[str], bool] | None:
        """``word -> bool``: whether the model's vocabulary has a vector for the lowercased word;
        None for models without vectors."""
        vocab = self.pipeline().vocab
        if len(vocab.vectors) == 0:
            return None

        def known(word: str) -> bool:
            return bool(vocab.has_vector(word.lower()))

        return known

    def entities(self, texts: Sequence[str]) -> list[list[RawEntity]]:
        """The pipeline's entities per text: (start, end, label) with offsets in the text."""
        out: list[list[RawEntity]] = [[] for _ in texts]
        for turn in _turns(_pieces(texts)):
            with self._turn, single_threaded_blas():
                nlp = self.pipeline()
                docs = nlp.pipe((texts[i][lo:hi] for i, lo, hi, _, _ in turn), batch_size=BATCH_SIZE)
                for (i, lo, _, keep_from, keep_to), doc in zip(turn, docs, strict=True):
                    for ent in doc.ents:
                        start = ent.start_char + lo
                        if keep_from <= start < keep_to:
                            out[i].append((start, ent.end_char + lo, ent.label_))
                if len(nlp.vocab.strings) - self._strings_at_load > VOCAB_GROWTH_LIMIT:
                    self._nlp = None  # loaded again on next use
                    gc.unfreeze()  # the dropped pipeline must be collectable
        return out


def freeze_loaded_heap() -> None:
    """Move every object alive now (the pipeline just loaded, the gazetteers and word sets of
    the rules) out of the cyclic garbage collector's reach (``gc.freeze``).

    A request makes many short-lived spans, which now and then triggers a full collection,
    and a full collection walks the whole heap, which is mostly these long-lived objects: on
    the 1500 texts of ``bench text_deid`` that was 0.2 s of 2.5 s in ``high`` mode (two full
    collections). Frozen objects are still freed by reference counting; what could leak is
    cyclic garbage made of objects alive at this moment, so the heap is collected first, and a
    pipeline that is dropped unfreezes the heap again (:meth:`SpacyNlpEngine.entities`)."""
    gc.collect()
    gc.freeze()


def load_pipeline(name: Any, exclude: Sequence[str]) -> Any:
    """``spacy.load`` without the excluded components, and without ``tok2vec`` when no
    remaining component listens to it; matrix products on numpy's BLAS."""
    import spacy

    nlp: Any = spacy.load(name, exclude=list(exclude))
    if "tok2vec" in nlp.pipe_names and not nlp.get_pipe("tok2vec").listening_components:
        nlp.remove_pipe("tok2vec")
    _use_numpy_blas(nlp)
    return nlp


def _use_numpy_blas(nlp: Any) -> None:
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


_blas_lock = threading.Lock()
_blas_users = 0
_blas_limit: Any = None


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Hold BLAS to one thread while any pipeline runs (re-entrant across threads: the last
    one out restores the process's setting). A second BLAS thread only spins on these
    matrix sizes, and the service gets its parallelism from requests and job workers."""
    global _blas_users, _blas_limit
    with _blas_lock:
        if _blas_users == 0:
            _blas_limit = _blas_controller().limit(limits=1, user_api="blas")
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0 and _blas_limit is not None:
                _blas_limit.restore_original_limits()
                _blas_limit = None


_controller: Any = None


def _blas_controller() -> Any:
    global _controller
    if _controller is None:
        import numpy  # noqa: F401  (loads the BLAS library the controller must see)
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller
