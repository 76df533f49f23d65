"""What validating an upload reads from the store: only what the file names (its targets, their plans, their
previous values), on one connection; every id in the store only when an unknown id needs suggestions."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Connection

from indicators import store


class StoreLookup:
    """The store as the validators see it, by the ids in the file."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self._all_ids: list[str] | None = None

    def targets(self, ids: Iterable[str]) -> dict[str, store.UploadTarget]:
        """{id: target} of those of ``ids`` that the store holds (retired ones too)."""
        return store.upload_targets(self.conn, ids)

    def plans(self, plan_ids: Iterable[str]) -> dict[str, store.PlanSpan]:
        """{plan id: its months} of these plans."""
        return store.plan_spans(self.conn, plan_ids)

    def stored(self, target_ids: Iterable[str]) -> dict[tuple[str, str], float]:
        """{(target id, month): live value} of these targets."""
        return store.previous_values(self.conn, target_ids)

    def all_ids(self) -> list[str]:
        """Every target id in the store (read once, when a file names an unknown id)."""
        if self._all_ids is None:
            self._all_ids = store.all_target_ids(self.conn)
        return self._all_ids
