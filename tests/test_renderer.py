"""The warm renderer's browser life with a real Chromium: started while figures are built, the second tab joining
while the first draws, no page but ours, and closed back to back without choreographer's JSONError or a leftover
process."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from indicators.outputs import charts, png


def _figure(title: str = "分领域进展"):
    return charts.status_bars([], {}, charts.ChartContext("聊城市指标", "2023-06", size="slide"), title)


def _group_alive(group: int) -> list[str]:
    """The live (not zombie) processes of a process group, from /proc."""
    alive = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            alive.append(pid)
    return alive


def _wait_until(predicate, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_renderers_opened_and_closed_back_to_back_log_no_json_error_and_leave_no_browser(caplog):
    caplog.set_level(logging.ERROR)
    figure = _figure()
    drawn = []
    for _ in range(3):  # bench export's pattern: a browser closed, the next one opened at once
        renderer = png.Renderer(tabs=2)
        group = renderer._kaleido.subprocess.pid  # choreographer starts it in a session (and group) of its own
        drawn.append(renderer.png(figure))
        renderer.close()
        assert _wait_until(lambda group=group: not _group_alive(group), 15), "Chromium outlived close()"
    assert drawn[0] == drawn[1] == drawn[2]
    errors = [r.getMessage() for r in caplog.records if "JSON" in r.getMessage() or r.levelno >= logging.ERROR]
    assert not errors, errors


def test_a_renderer_started_without_waiting_draws_what_a_waited_one_draws(tmp_path):
    first, second = _figure(), _figure("分单位进展")
    waited = png.Renderer(tabs=1)
    try:
        expected = waited.png(second)
        targets = waited._call(waited._kaleido.send_command("Target.getTargets"))["result"]["targetInfos"]
    finally:
        waited.close()
    # only our page: Chromium's omnibox pop-up (a WebUI render process of its own) is switched off
    assert [t["type"] for t in targets] == ["page"], targets
    starting = png.Renderer(tabs=2, wait=False)
    try:
        assert starting.png(second) == expected  # waits for the browser, then draws
        assert _wait_until(lambda: starting._kaleido._total_tabs == 2), "the second tab never joined"
        starting.write([(first, tmp_path / "a.png"), (second, tmp_path / "b.png"), (second, tmp_path / "c.png")])
        assert (tmp_path / "b.png").read_bytes() == expected == (tmp_path / "c.png").read_bytes()
    finally:
        starting.close()
    closed_at_once = png.Renderer(tabs=2, wait=False)
    closed_at_once.close()  # waits for the browser to be up, then closes it
    assert not closed_at_once.alive
    group = closed_at_once._kaleido.subprocess.pid  # choreographer starts it in a session (and group) of its own
    assert _wait_until(lambda: not _group_alive(group), 15), "Chromium outlived close()"
