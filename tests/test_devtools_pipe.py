"""The DevTools pipe's end: Chromium's last event and the wrapper's ``{bye}`` in one read (the JSONError `bench export`
printed), a close while a read is pending, and real browsers opened and closed without a JSONError.

The bytes are those Chromium 156 and choreographer's wrapper write as a browser closes (captured from a real run:
``Inspector.detached`` "Render process gone." for a tab's session, then ``{bye}\\n``), written into real OS pipes.
"""

from __future__ import annotations

import logging
import os
import threading
import time

import pytest
from choreographer.channels import ChannelClosedError, Pipe

from indicators.outputs.devtools_pipe import DevtoolsPipe

LAST_EVENT = (b'{"method":"Inspector.detached","params":{"reason":"Render process gone."},'
              b'"sessionId":"0C9B5A4F3E2D1C0B"}\0')
BYE = b"{bye}\n"


def _read_in_thread(pipe: Pipe) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def run() -> None:
        try:
            out["jsons"] = pipe.read_jsons(blocking=True)[0]
        except Exception as exc:  # noqa: BLE001 - the test looks at what was raised
            out["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def _json_errors(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "JSONError" in r.getMessage()]


def test_choreographers_own_pipe_misreads_the_last_event_and_bye_in_one_read(caplog):
    """The bug, reproduced: choreographer 1.4 takes ``event\\0{bye}\\n`` for a partial message, reads on until its
    descriptor is closed, then logs a JSONError parsing ``{bye}``. (If choreographer fixes it, this fails: then our
    pipe can go.)"""
    caplog.set_level(logging.ERROR)
    pipe = Pipe()
    pipe.open()
    os.write(pipe.from_external_to_choreo, LAST_EVENT + BYE)
    thread, out = _read_in_thread(pipe)
    time.sleep(0.3)  # it has read the chunk and waits for the "rest of the message"
    assert thread.is_alive()
    pipe.close()
    thread.join(10)
    assert not thread.is_alive()
    assert _json_errors(caplog), "choreographer no longer logs the JSONError: check whether DevtoolsPipe is needed"


def test_the_last_event_before_bye_is_handed_on_and_the_pipe_closes(caplog):
    caplog.set_level(logging.ERROR)
    pipe = DevtoolsPipe()
    pipe.open()
    os.write(pipe.from_external_to_choreo, LAST_EVENT + BYE)
    jsons, _ = pipe.read_jsons(blocking=True)
    assert [j["method"] for j in jsons] == ["Inspector.detached"]
    assert not pipe.is_ready()
    with pytest.raises(ChannelClosedError):
        pipe.read_jsons(blocking=True)
    assert not _json_errors(caplog)


def test_a_bye_split_across_reads_and_a_lone_bye(caplog):
    caplog.set_level(logging.ERROR)
    pipe = DevtoolsPipe()
    pipe.open()
    writer = pipe.from_external_to_choreo
    os.write(writer, LAST_EVENT + b"{by")
    thread, out = _read_in_thread(pipe)
    time.sleep(0.2)
    os.write(writer, b"e}\n")
    thread.join(10)
    assert [j["method"] for j in out["jsons"]] == ["Inspector.detached"]
    lone = DevtoolsPipe()
    lone.open()
    os.write(lone.from_external_to_choreo, BYE)
    with pytest.raises(ChannelClosedError):
        lone.read_jsons(blocking=True)
    assert not _json_errors(caplog)


def test_messages_are_still_split_and_a_broken_one_is_still_said(caplog):
    caplog.set_level(logging.ERROR)
    pipe = DevtoolsPipe()
    pipe.open()
    os.write(pipe.from_external_to_choreo, b'{"id":1,"result":{}}\0{"id":2,"result":{"a":"\xe4\xb8\xad"}}\0')
    jsons, _ = pipe.read_jsons(blocking=True)
    assert jsons == [{"id": 1, "result": {}}, {"id": 2, "result": {"a": "中"}}]
    os.write(pipe.from_external_to_choreo, b"{not json}\0")
    assert pipe.read_jsons(blocking=True)[0] == []
    assert len(_json_errors(caplog)) == 1  # a broken message is not hidden
    pipe.close()


def test_close_during_a_pending_read_keeps_the_descriptor_until_the_read_returns():
    """The read end's number is not freed under a pending read (else the next pipe opened would get it)."""
    pipe = DevtoolsPipe()
    pipe.open()
    chromium = os.dup(pipe.from_external_to_choreo)  # the browser's end, still open: the read waits
    read_fd = pipe._read_from_browser
    thread, out = _read_in_thread(pipe)
    time.sleep(0.2)
    pipe.close()
    other = os.pipe()  # what the next browser would open
    try:
        assert read_fd not in other
        os.fstat(read_fd)  # still ours
        os.write(chromium, LAST_EVENT + BYE)
        os.close(chromium)
        thread.join(10)
        assert not thread.is_alive()
        assert [j["method"] for j in out["jsons"]] == ["Inspector.detached"]
        with pytest.raises(OSError):
            os.fstat(read_fd)  # closed by the read that was using it
    finally:
        for fd in other:
            os.close(fd)


def test_end_of_file_is_the_end_not_a_partial_message(caplog):
    """The browser gone mid-message (every writer closed): ChannelClosedError, no spinning, nothing parsed."""
    caplog.set_level(logging.ERROR)
    pipe = DevtoolsPipe()
    pipe.open()
    os.write(pipe.from_external_to_choreo, b'{"id":1,"res')
    thread, out = _read_in_thread(pipe)
    time.sleep(0.2)
    assert thread.is_alive()  # waiting for the rest
    pipe.close()  # our copy of the write end goes: end of file
    thread.join(10)
    assert isinstance(out.get("error"), ChannelClosedError)
    assert not _json_errors(caplog)
