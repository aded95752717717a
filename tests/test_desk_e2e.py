"""The desk in a real browser: `duban serve` on a tracker built from the corpora, driven by Playwright in
headless Chromium (Debian's /usr/bin/chromium; Playwright never downloads a browser here).

Screenshots go to outputs/desk-*.png; the dashboard's and a notice page's also to docs/ (the README shows them). Skips only when chromium (or the playwright package) is missing;
CI installs both (scripts/setup.sh --test).
"""
from __future__ import annotations

import json
import os
import re
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
def tracker(tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e")
    shutil.copytree(NOTICES, base / "inbox")
    rebuild(base / "inbox", base / "tracker.db", jobs=1, settle=0)
    return base / "tracker.db"


@pytest.fixture(scope="module")
def server(tracker):
    base = tracker.parent
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


DOCS = ROOT / "docs"
AS_OF = "2025-03-01"  # a day with overdue items, items due within 30 days and a busy year ahead in the corpora
# Datasette's English chrome: none of it may show on the pages a supervisor reaches
ENGLISH = re.compile(r"Powered by|Datasette|Custom SQL|Query parameters|Run SQL|Edit SQL|\brows?\b|\bApply\b|Search:|"
                     r"Advanced export|This data as|Suggested facets|Next page|\bQueries\b|\bTables\b|Log in|"
                     r"sorted by|\bresults\b|\bhome\b|\bphases\b|\bdeadlines\b|\bduties\b|\byear\b|\bweek\b")


def shot(pg, name, docs=False):
    OUT.mkdir(exist_ok=True)
    path = OUT / f"desk-{name}.png"
    pg.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 5000
    if docs:  # the README's pictures: one 1280-wide viewport each
        DOCS.mkdir(exist_ok=True)
        shutil.copy(path, DOCS / path.name)
    return path


def english_on(pg) -> list[str]:
    return ENGLISH.findall(pg.inner_text("body"))


def cli_count(tracker, *args) -> int:
    duban = Path(sys.executable).with_name("duban")
    out = subprocess.run([str(duban), "deadlines", "--db", str(tracker), *args, "--as-of", AS_OF, "--json"],
                         capture_output=True, text=True, check=True).stdout
    return len(json.loads(out))


def test_dashboard_in_the_browser(server, page, tracker):
    page.goto(server + "/?" + quote("日期") + "=" + AS_OF)
    for chart in ("by_actor", "months", "issuers"):  # vega-embed drew each chart (SVG) from the shipped JS
        page.wait_for_selector(f"#chart-{chart} svg .mark-rect path", state="attached")
    assert page.locator("#chart-by_actor svg .mark-rect path").count() >= 3
    counts = {k: int(page.inner_text(f"#count-{k} .n")) for k in ("overdue", "due7", "due30")}
    assert counts == {"overdue": cli_count(tracker, "--overdue"), "due7": cli_count(tracker, "--upcoming", "7"),
                      "due30": cli_count(tracker, "--upcoming", "30")}
    assert counts["overdue"] > 0 and counts["due30"] > 0
    assert page.inner_text("#count-done .n") == "0"
    assert "最新文件" in page.inner_text("body") and page.locator("#panel-latest tr").count() > 5
    assert english_on(page) == []
    shot(page, "dashboard", docs=True)
    # a card opens the canned query with the same rows
    page.click("#count-due30 a")
    page.wait_for_selector("table.rows-and-columns")
    assert page.locator("table.rows-and-columns tbody tr").count() == counts["due30"]
    assert english_on(page) == [] and "uid" not in page.inner_text("table.rows-and-columns thead")
    # a chart's title opens its query
    page.go_back()
    page.click("#panel-by_actor h2 a")
    page.wait_for_selector("table.rows-and-columns")
    assert "/tracker/overdue" in page.url and english_on(page) == []


def test_duties_table_in_chinese_with_rows_on_the_first_screen(server, page):
    page.goto(server + "/tracker/duties")
    page.wait_for_selector("table.rows-and-columns")
    assert english_on(page) == []
    assert "每年" in page.inner_text(".facet-results")
    first = page.locator("table.rows-and-columns tbody tr").first.bounding_box()
    assert first["y"] < 900  # the rows start on the first screen (the glossary is folded below them)


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
    assert english_on(page) == []
    dates = [d.strip() for d in page.locator("h2:has-text('时限') + table td.d").all_inner_texts() if d.strip()]
    assert dates == sorted(dates)
    shot(page, "notice", docs=True)
    page.locator("table.roster").first.scroll_into_view_if_needed()
    shot(page, "roster")
    # the original file opens from the page
    page.click("text=001_lanxi_anquan.txt")
    page.wait_for_load_state()
    assert "岚政发〔2023〕8号" in page.inner_text("body")
