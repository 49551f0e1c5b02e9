"""The review workspace in a real browser: Debian's Chromium driven by Playwright (headless, no download).

A reviewer opens the queue, opens a flagged case, corrects the sentence term, saves, and sees the decision made
again and the change in the case's history. With VERDICTS_SCREENSHOT=path the case view is also saved as a PNG
(`make screenshot` refreshes the one in docs/).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.amnesty.law import get_law
from extractor.cli import app as cli
from extractor.webapp import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root Chromium needs --no-sandbox; the rest keep it from calling out of this offline machine.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip


@pytest.fixture
def server(screened_store: Path):
    import uvicorn

    db = screened_store
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(db, get_law("kz-2022-152-VII"), reviewer="Ахметова А."), port=port,
                            log_level="warning")  # fmt: skip
    web = uvicorn.Server(config)
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not web.started:
        assert time.monotonic() < deadline, "the review server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", db
    web.should_exit = True
    thread.join(10)


def test_a_reviewer_corrects_a_term_and_sees_the_new_decision_and_the_audit_row(server, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install chromium (make test installs it)"
    base, db = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.goto(f"{base}/?decision=reduce")
        expect(page.locator("h1")).to_have_text("Review queue")
        page.locator("tr.flagged a").first.click()
        expect(page.locator("#review-form")).to_be_visible()
        expect(page.locator(".hl").first).to_be_visible()  # the evidence boxed on the page image
        page.wait_for_function("() => { const i = document.querySelector('#page img'); return i.complete && i.naturalWidth > 800; }")
        before = page.locator("#decision").inner_text()
        if os.environ.get("VERDICTS_SCREENSHOT"):  # the flagged case as a reviewer first sees it
            page.screenshot(path=os.environ["VERDICTS_SCREENSHOT"])

        page.select_option("select[name=sentence_action]", "correct")
        page.select_option("select[name=sentence_kind]", "imprisonment")
        page.fill("input[name=sentence_years]", "4")
        page.fill("input[name=sentence_months]", "0")
        page.fill("input[name=comment]", "срок по резолютивной части: 4 года")
        page.click("#save")

        expect(page.locator(".saved")).to_contain_text("Saved")
        after = page.locator("#decision").inner_text()
        assert "reduce" in after and after != before
        expect(page.locator("#new-term")).to_contain_text("1 year")
        history = page.locator("#history tbody tr, #history tr").filter(has_text="срок по резолютивной части")
        expect(history).to_have_count(1)
        expect(history).to_contain_text("sentence")
        expect(history).to_contain_text('"term_months": 48')
        expect(history).to_contain_text("Ахметова А.")
        browser.close()

    out = tmp_path / "audit.csv"
    assert CliRunner().invoke(cli, ["export", "--db", str(db), "--audit", "--out", str(out)]).exit_code == 0
    audit = out.read_text(encoding="utf-8-sig")
    assert "срок по резолютивной части: 4 года" in audit and '""term_months"": 48' in audit
