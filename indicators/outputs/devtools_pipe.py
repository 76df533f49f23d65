"""The pipe to Chromium's DevTools, reading the browser's last words safely (a fix of choreographer 1.4's Pipe).

What went wrong (the ``JSONError decoding message`` traceback `bench export` printed): choreographer starts Chromium
through a small wrapper process that prints ``{bye}\\n`` on the pipe once Chromium has exited. As Chromium closes it
sends its last events (``Inspector.detached``, "Render process gone.") and then exits; when such an event and the
wrapper's ``{bye}\\n`` arrive in one read — a question of timing, likelier on a loaded machine — the buffer ends in
``\\n``, not in the NUL that ends every DevTools message. choreographer's ``read_jsons`` takes that for a partial
message and reads on: end of file again and again until the descriptor is closed under it (EBADF), then parses
``{bye}`` as JSON and logs the traceback. Worse, between the close and that EBADF it reads a descriptor *number*: had
another pipe (the next browser's) been opened meanwhile, it would get the same number and this loop would steal its
messages. choreographer's own close frees the descriptors while a read or a write may still be using them.

This pipe (1) knows the ``{bye}``: the messages before it are handed on and the pipe is closed; (2) takes end of file
for the end, never as a partial message; (3) frees a descriptor only when no read or write is using it, so its number
cannot be reused under a pending call. Messages are split and decoded as before; a message that really is broken is
still logged (choreographer's ``JSONError``), not hidden.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import logistro
from choreographer.channels import ChannelClosedError, JSONError, Pipe
from choreographer.channels import _wire as wire

BYE = b"{bye}\n"  # what choreographer's wrapper prints once Chromium has exited
READ_SIZE = 1 << 16

_logger = logistro.getLogger(__name__)


class DevtoolsPipe(Pipe):
    """choreographer's Pipe with a safe end (see the module doc); pass it as ``channel_cls`` (POSIX only)."""

    def __init__(self) -> None:
        super().__init__()
        self._fd_lock = threading.Lock()
        self._in_use: dict[int, int] = {}  # descriptor -> calls using it now
        self._to_close: set[int] = set()  # descriptors close() left to the call still using them

    @contextmanager
    def _using(self, fd: int) -> Iterator[int]:
        """Hold ``fd`` open for one read or write; ChannelClosedError if the pipe is closed already."""
        with self._fd_lock:
            if not self.is_ready():
                raise ChannelClosedError("the pipe to the browser is closed")
            self._in_use[fd] = self._in_use.get(fd, 0) + 1
        try:
            yield fd
        finally:
            with self._fd_lock:
                self._in_use[fd] -= 1
                if not self._in_use[fd] and fd in self._to_close:
                    self._to_close.discard(fd)
                    self._close_fd(fd)

    def write_json(self, obj: Mapping[str, Any]) -> tuple[float, float]:
        """Send one message (choreographer's write), the descriptor held open while it is written."""
        with self._using(self._write_to_browser):
            return super().write_json(obj)

    def read_jsons(self, *, blocking: bool = True) -> tuple[Sequence[Any], float]:
        """Read whole messages; ChannelClosedError once the browser has gone (``{bye}`` or end of file)."""
        buffer = b""
        while True:
            chunk = self._read_chunk(blocking or bool(buffer))  # the rest of a message is waited for
            if chunk is None:
                return [], time.perf_counter()
            buffer += chunk
            if buffer.endswith(BYE):  # Chromium has exited: what came before is its last words
                buffer = buffer[: -len(BYE)]
                self.close()
                break
            if buffer.endswith(b"\0"):
                break
        jsons = []
        for raw in buffer.decode("utf-8").split("\0"):
            if raw:
                try:
                    jsons.append(wire.deserialize(raw))
                except JSONError:  # a message that really is broken: said, as choreographer says it
                    _logger.exception("JSONError decoding message. Ignoring")
        if not jsons and not self.is_ready():
            raise ChannelClosedError("the browser has exited")
        return jsons, time.perf_counter()

    def _read_chunk(self, blocking: bool) -> bytes | None:
        """One read; None when nothing is there (non-blocking); ChannelClosedError at end of file or on an OS error."""
        with self._using(self._read_from_browser) as fd:
            try:
                os.set_blocking(fd, blocking)
                chunk = os.read(fd, READ_SIZE)
            except BlockingIOError:
                return None
            except OSError as exc:
                self.close()
                raise ChannelClosedError from exc
        if not chunk:  # every writer is gone: Chromium and its wrapper have exited
            self.close()
            raise ChannelClosedError("the browser closed the pipe")
        return chunk

    def close(self) -> None:
        """Close the pipe (idempotent); a descriptor a read or write is using is closed when that call returns."""
        with self._fd_lock:
            if not self.shutdown_lock.acquire(blocking=False):
                return
            for fd in (self._write_to_browser, self._write_from_browser, self._read_from_browser,
                       self._read_to_browser):
                if self._in_use.get(fd):
                    self._to_close.add(fd)
                else:
                    self._close_fd(fd)
