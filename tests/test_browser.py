"""One end-to-end test in a real browser: Debian's Chromium driven by Playwright against `streamlit run`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from indicators import catalogue as cat
from indicators import demo, store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    url = f"sqlite:///{tmp_path / 'e2e.sqlite'}"
    engine = store.make_engine(url)
    store.init_db(engine, cat.load())
    demo.load_demo(engine, archive_dir=tmp_path / "archive", directory=tmp_path / "demo")
    engine.dispose()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "INDICATORS_ARCHIVE_DIR": str(tmp_path / "archive")}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("streamlit did not start within 60 s")
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_overview_english_indicator_screenshot(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    assert Path(CHROMIUM).exists(), "Debian chromium is installed by `make test`"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(server)
        expect(page.get_by_role("heading", name="总览")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("示例数据 / demo data").first).to_be_visible()
        expect(page.get_by_text("判定规则与阈值")).to_be_visible(timeout=60_000)  # the end of the first run
        page.locator("[data-testid=stSidebar] [data-testid=stRadioOption]").filter(has_text="English").click()
        expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=30_000)
        page.goto(f"{server}/indicator?lang=en&target=liaocheng-2023.t29.5g-new")
        expect(page.get_by_text("力争新建成开通5G基站2500个")).to_be_visible(timeout=60_000)
        page.wait_for_timeout(1500)  # let the chart finish drawing
        shot = tmp_path / "indicator.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


SIZES = {"desktop": (1440, 900), "projector": (1280, 720), "phone": (390, 844)}


def test_overview_tiles_are_whole_at_desktop_projector_and_phone_sizes(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(server)
            expect(page.get_by_role("heading", name="总览")).to_be_visible(timeout=90_000)
            values = page.locator(".st-key-tiles [data-testid=stMetricValue]")
            expect(values.first).to_be_visible(timeout=60_000)
            # measured on the finished page: under load the tiles were measured while the run was still drawing
            # them (6 of 10, the last still narrow), which is not what a user looks at
            expect(page.get_by_text("判定规则与阈值")).to_be_visible(timeout=90_000)
            # and the run over: every tile drawn (a phone's run was seen still filling its tile boxes) and Streamlit's
            # running indicator gone
            page.wait_for_function("""() => document.querySelectorAll(
                '.st-key-tiles [data-testid=stMetricValue]').length >= 8
                && !document.querySelector('[data-testid^=stStatusWidgetRunning]')""", timeout=90_000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(tmp_path / f"overview_{name}.png"))
            tiles = values.evaluate_all("""els => els.map(e => {
                const inner = e.querySelector('div') || e, box = e.getBoundingClientRect();
                return {text: e.innerText, scroll: inner.scrollWidth, client: inner.clientWidth,
                        right: box.right, top: box.top, bottom: box.bottom};
            })""")
            assert len(tiles) >= 8, name
            for tile in tiles:  # every value whole: not cut to "72.…", not wider than its box, not off the screen
                assert "…" not in tile["text"] and tile["scroll"] <= tile["client"] + 1, (name, tile)
                assert tile["right"] <= width, (name, tile)
            behind = page.locator(".st-key-tiles [data-testid=stMetric]").filter(has_text="滞后").first.bounding_box()
            assert behind["y"] + behind["height"] <= height, f"{name}: 滞后 is below the fold"
            if name == "phone":  # two tiles to a row
                assert tiles[0]["top"] == tiles[1]["top"] and tiles[2]["top"] > tiles[1]["top"]
            if name == "projector":  # the first laggards in view without scrolling
                table = page.locator("[data-testid=stDataFrame]").first.bounding_box()
                assert table["y"] + 80 <= height
            page.close()
        browser.close()


def test_a_fresh_server_shows_only_the_apps_navigation_and_opens_overview_by_its_path(server):
    """From the first paint of a fresh server: no list of the pages/ folder's file names (Streamlit's legacy page
    list), the app's own links to every page in the sidebar, each reachable; and /overview opens the overview."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(server)
        legacy = page.locator("[data-testid=stSidebarNav]")
        links = page.locator("[data-testid=stSidebar] [data-testid=stPageLink] a")
        for _ in range(60):  # watch the first run as it paints, every 250 ms, until the app's links are there
            assert legacy.count() == 0, "Streamlit's own page list was shown"
            if links.count() >= 7:
                break
            page.wait_for_timeout(250)
        expect(page.get_by_role("heading", name="总览")).to_be_visible(timeout=90_000)
        assert legacy.count() == 0
        labels = [" ".join(text.split()[1:]) for text in links.all_inner_texts()]  # after the icon's name
        assert labels == ["总览", "指标详情", "数据上报", "指标目录", "图表导出", "报送情况", "填报"]
        for label, heading in [("图表导出", "图表导出"), ("报送情况", "报送情况"), ("总览", "总览")]:
            links.filter(has_text=label).first.click()
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=90_000)
        deep = browser.new_page(viewport={"width": 1440, "height": 900})
        deep.goto(f"{server}/overview")
        expect(deep.get_by_role("heading", name="总览")).to_be_visible(timeout=90_000)
        expect(deep.get_by_text("判定规则与阈值")).to_be_visible(timeout=60_000)  # the whole page ran
        assert deep.get_by_text("Page not found").count() == 0 and deep.url.split("?")[0].endswith("/overview")
        browser.close()
