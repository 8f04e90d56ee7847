"""Display models of diffs kept by content hash, so J/K back and forth and patches built ahead in
a worker cost nothing to open."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from threading import Event, Lock

from tui.widgets.diff_model import CommentNote, DiffModel, FindingLike, build_model

_SIZE = 16  # a few patches either side of the current one


class ModelCache:
    """A small LRU of DiffModels keyed by a hash of everything build_model reads. Thread-safe:
    the patch screen builds neighbours in a worker thread while the UI reads; a model being built
    by one thread is waited for by the other rather than built twice (they would share the GIL)."""

    def __init__(self, size: int = _SIZE) -> None:
        self.size = size
        self._models: OrderedDict[str, DiffModel] = OrderedDict()
        self._building: dict[str, Event] = {}
        self._lock = Lock()

    def get(
        self,
        message: str,
        diff: str,
        findings: list[FindingLike] | None = None,
        extra: list[tuple[str, str]] = (),
        comments: list[CommentNote] = (),
    ) -> DiffModel:
        key = content_key(message, diff, findings or [], extra, comments)
        with self._lock:
            model = self._models.get(key)
            if model is not None:
                self._models.move_to_end(key)
                return model
            busy = self._building.get(key)
            if busy is None:
                self._building[key] = Event()
        if busy is not None:
            busy.wait()
            with self._lock:
                if (model := self._models.get(key)) is not None:
                    return model
            return build_model(message, diff, findings, extra, comments)  # the other build failed
        try:
            model = build_model(message, diff, findings, extra, comments)
            with self._lock:
                self._models[key] = model
                while len(self._models) > self.size:
                    self._models.popitem(last=False)
            return model
        finally:
            with self._lock:
                self._building.pop(key).set()


def content_key(
    message: str,
    diff: str,
    findings: list[FindingLike],
    extra: list[tuple[str, str]],
    comments: list[CommentNote] = (),
) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for text in (message, diff):
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0\1")
    for f in findings:
        fields = (f.severity, f.check, f.file, str(f.line), f.message, f.counterexample,
              getattr(f, "fixup_effect", ""))  # fmt: skip
        digest.update("\0".join(fields).encode("utf-8", "surrogatepass") + b"\0\2")
    for title, extra_diff in extra:
        digest.update(f"{title}\0{extra_diff}".encode("utf-8", "surrogatepass") + b"\0\3")
    for note in comments:
        text = f"{note.id}\0{note.at}\0{note.head}\0{note.body}\0{note.kind}"
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0\4")
    return digest.hexdigest()
