"""The desk in a real browser: `duban serve` on a tracker built from the corpora, driven by Playwright in
headless Chromium (Debian's /usr/bin/chromium; Playwright never downloads a browser here).

Screenshots go to outputs/desk-*.png. Skips only when chromium (or the playwright package) is missing;
CI installs both (scripts/setup.sh --test).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from pipeline.tracker.rebuild import rebuild

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

ROOT = Path(__file__).resolve().parents[1]
NOTICES = ROOT / "corpora" / "notices"
OUT = ROOT / "outputs"
CHROMIUM = os.environ.get("DUBAN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} not installed (apt-get install -y chromium; scripts/setup.sh --test)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e")
    shutil.copytree(NOTICES, base / "inbox")
    rebuild(base / "inbox", base / "tracker.db", jobs=1, settle=0)
    port = _free_port()
    duban = Path(sys.executable).with_name("duban")
    cmd = [str(duban), "serve", "--db", str(base / "tracker.db"), "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"duban serve did not start: {proc.stdout.read()}")
            time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def page(server):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    profile = tempfile.mkdtemp(prefix="duban-chromium-")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=ARGS,
                                                   viewport={"width": 1280, "height": 900}, locale="zh-CN")
        pg = ctx.new_page()
        pg.set_default_timeout(20000)
        yield pg
        ctx.close()
    shutil.rmtree(profile, ignore_errors=True)


def shot(pg, name):
    OUT.mkdir(exist_ok=True)
    path = OUT / f"desk-{name}.png"
    pg.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 5000
    return path


def test_overdue_query_in_the_browser(server, page):
    page.goto(server + "/tracker/overdue")
    page.fill('input[name="日期"]', "2026-11-23")
    page.click('input[type="submit"]')
    page.wait_for_selector("table.rows-and-columns")
    assert "2026-11-23" in page.url or quote("2026-11-23") in page.url
    texts = []
    for _ in range(20):  # a page of rows at a time: follow 下一页 to the end of the list
        rows = page.locator("table.rows-and-columns tbody tr")
        texts += [rows.nth(i).inner_text() for i in range(rows.count())]
        if page.locator("p.desk-pager >> text=下一页").count() == 0:
            break
        page.click("p.desk-pager >> text=下一页")
        page.wait_for_selector("table.rows-and-columns")
    mine = [t for t in texts if "岚政发〔2026〕6号" in t]
    assert any("2026-04-15" in t and "222" in t for t in mine)
    assert any("2026-10-31" in t for t in mine) and not any("2027-06-30" in t for t in mine)
    page.locator("table.rows-and-columns tbody tr", has_text="2026-10-31").first.scroll_into_view_if_needed()
    shot(page, "overdue")


def test_search_in_the_browser(server, page):
    page.goto(server + "/tracker/search?" + "关键词=" + quote("调研"))
    page.wait_for_selector("table.rows-and-columns")
    body = page.inner_text("table.rows-and-columns")
    assert "撰写民情调研报告不少于三篇" in body
    assert page.locator("table.rows-and-columns tbody tr").count() >= 2
    shot(page, "search")


def test_notice_page_in_the_browser(server, page):
    page.goto(server + "/tracker/documents")
    page.click("text=岚溪镇人民政府关于印发《岚溪镇2023年安全生产大排查大整治专项行动实施方案》的通知")
    page.wait_for_selector("table.roster")
    assert "/-/notice/" in page.url
    roster = page.locator("table.roster tr", has_text="李卫东").first
    assert roster.locator("td").nth(0).inner_text().strip() == "组长"
    assert "镇长" in roster.inner_text()
    assert "动员部署阶段" in page.inner_text("body")
    shot(page, "notice")
    page.locator("table.roster").first.scroll_into_view_if_needed()
    shot(page, "roster")
    # the original file opens from the page
    page.click("text=001_lanxi_anquan.txt")
    page.wait_for_load_state()
    assert "岚政发〔2023〕8号" in page.inner_text("body")
