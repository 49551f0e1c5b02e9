"""The review workspace over HTTP (FastAPI's test client): pages, evidence boxes, saving, CSRF, accounts, locking."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from extractor.amnesty.law import get_law
from extractor.cli import app as cli
from extractor.review import queue
from extractor.store import Store
from extractor.webapp import create_app

LAW = get_law("kz-2022-152-VII")
runner = CliRunner()
HOSTS = ("testserver",)  # the name FastAPI's test client uses


@pytest.fixture
def db(screened_store: Path) -> Path:
    return screened_store


def token(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def first_reduce(db: Path) -> tuple[int, int]:
    with Store(db) as s:
        item = next(i for i in queue(s, LAW) if i.decision == "reduce")
        doc_id = s.db.execute("SELECT rowid FROM documents WHERE path = ?", (item.path,)).fetchone()[0]
    return doc_id, item.index


def test_queue_case_and_page_with_the_evidence_boxed(db: Path) -> None:
    client = TestClient(create_app(db, LAW, reviewer="Ахметова А.", hosts=HOSTS))
    home = client.get("/")
    assert home.status_code == 200 and "Review queue" in home.text and "needs review" in home.text
    doc_id, index = first_reduce(db)
    case = client.get(f"/case/{doc_id}/{index}")
    assert case.status_code == 200
    boxes = re.findall(r'class="hl" id="ev-\d+[^"]*"[^>]*style="left:(\d+)px;top:(\d+)px;width:(\d+)px;height:(\d+)px', case.text)
    assert boxes, "the evidence on the shown page is boxed"
    assert all(0 <= int(x) < 1000 and 0 <= int(y) < 1400 and int(w) > 0 and int(h) > 0 for x, y, w, h in boxes)
    assert "Art. 3" in case.text and "reduce" in case.text
    links = re.findall(r'href="\?page=(\d+)#ev-(\d+)" class="quote"', case.text)
    assert links, "each reason links to its evidence"
    for number, k in links:  # ... and the link's box is on the page it opens
        target = client.get(f"/case/{doc_id}/{index}?page={number}").text
        assert f'id="ev-{k}"' in target
    page = re.search(rf'src="/page/{doc_id}/(\d+)\.png"', case.text).group(1)
    image = client.get(f"/page/{doc_id}/{page}.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert client.get("/case/999/0").status_code == 404


def test_saving_a_corrected_term_decides_again_and_is_audited(db: Path, tmp_path: Path) -> None:
    client = TestClient(create_app(db, LAW, reviewer="Ахметова А.", hosts=HOSTS))
    doc_id, index = first_reduce(db)
    case = client.get(f"/case/{doc_id}/{index}").text
    form = {"csrf": token(case), "version": "0", "sentence_action": "correct", "sentence_kind": "imprisonment",
            "sentence_years": "4", "sentence_months": "0", "sentence_regime": "minimum_security",
            "comment": "срок по тексту приговора"}  # fmt: skip
    assert client.post(f"/case/{doc_id}/{index}", data={**form, "csrf": "forged"}).status_code == 403
    saved = client.post(f"/case/{doc_id}/{index}", data=form)
    assert saved.status_code == 200 and "Saved." in saved.text  # after the redirect
    assert re.search(r'id="new-term">[^<]*\b1 year', saved.text), "4 years cut by three quarters (grave): 1 year"
    assert "Ахметова А." in saved.text and "срок по тексту приговора" in saved.text

    stale = client.post(f"/case/{doc_id}/{index}", data={**form, "sentence_years": "5"})  # the page of version 0
    assert stale.status_code == 409 and "another reviewer" in stale.text

    out = tmp_path / "audit.csv"
    result = runner.invoke(cli, ["export", "--db", str(db), "--audit", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["kind"], r["field"], r["action"]) for r in rows] == [
        ("correction", "sentence", "correct"), ("decision", "eligibility", "")
    ]
    assert '"term_months": 48' in rows[0]["new_value"] and rows[0]["reviewer"] == "Ахметова А."
    assert '"term_months": 48' not in rows[0]["old_value"]


def test_accounts_sign_in_and_refuse_strangers(db: Path) -> None:
    added = runner.invoke(cli, ["reviewer", "add", "Бекова Д.", "--db", str(db), "--password-stdin"],
                          input="correct horse battery\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    with Store(db) as s:
        stored = s.db.execute("SELECT password_hash FROM reviewers").fetchone()[0]
    assert stored.startswith("$argon2") and "correct horse" not in stored
    client = TestClient(create_app(db, LAW, accounts=True, hosts=HOSTS), follow_redirects=False)
    assert client.get("/").status_code == 303
    doc_id, index = first_reduce(db)
    assert client.get(f"/case/{doc_id}/{index}").headers["location"] == "/login"
    login = client.get("/login").text
    wrong = client.post("/login", data={"csrf": token(login), "name": "Бекова Д.", "password": "guess"})
    assert wrong.status_code == 401
    assert client.post("/login", data={"name": "Бекова Д.", "password": "correct horse battery"}).status_code == 403
    ok = client.post("/login", data={"csrf": token(login), "name": "Бекова Д.", "password": "correct horse battery"})
    assert ok.status_code == 303
    assert client.get("/").status_code == 200
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_binding_beyond_this_machine_needs_accounts(db: Path) -> None:
    result = runner.invoke(cli, ["review", "--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "reviewer add" in result.output


def test_ocr_word_boxes_come_from_the_hocr(tmp_path: Path) -> None:
    from extractor.ocr import read_hocr

    (tmp_path / "000001_ocr_hocr.hocr").write_text(
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><div class="ocr_page">'
        '<span class="ocr_line" title="bbox 100 200 900 240">'
        '<span class="ocrx_word" title="bbox 100 200 400 240; x_wconf 91">ПРИГОВОРИЛ:</span> '
        '<span class="ocrx_word" title="bbox 420 202 900 240; x_wconf 55">Иванова</span></span>'
        "</div></body></html>",
        encoding="utf-8",
    )
    page = read_hocr(tmp_path, 1)
    assert page.text == "ПРИГОВОРИЛ: Иванова"
    assert [(w.start, w.end, w.confidence, w.bbox) for w in page.words] == [
        (0, 11, 0.91, (100, 200, 400, 240)), (12, 19, 0.55, (420, 202, 900, 240))
    ]


def test_words_from_verdicts_are_escaped_not_run(db: Path) -> None:
    import json

    with Store(db) as s:
        doc = next(s.documents())
        facts = json.loads(doc["facts_json"])
        facts["defendants"][0]["name"]["value"] = "<script>alert(1)</script>"
        facts["court"]["value"] = '"><img src=x onerror=alert(2)>'
        s.db.execute("UPDATE documents SET facts_json = ? WHERE path = ?", (json.dumps(facts), doc["path"]))
        doc_id = s.db.execute("SELECT rowid FROM documents WHERE path = ?", (doc["path"],)).fetchone()[0]
    client = TestClient(create_app(db, LAW, reviewer="r", hosts=HOSTS))
    for url in ("/", f"/case/{doc_id}/0"):
        html = client.get(url).text
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
        assert "<img src=x" not in html


def test_requests_from_elsewhere_and_bad_input_are_refused_with_4xx(db: Path) -> None:
    client = TestClient(create_app(db, LAW, reviewer="r", hosts=HOSTS))
    doc_id, index = first_reduce(db)
    assert client.get("/", headers={"host": "attacker.example:8000"}).status_code == 400  # DNS rebinding
    case = client.get(f"/case/{doc_id}/{index}").text
    form = {"csrf": token(case), "version": "0", "recidivism_action": "accept"}
    assert client.post(f"/case/{doc_id}/{index}", data=form, headers={"origin": "http://evil.example"}).status_code == 403
    assert client.post(f"/case/{doc_id}/{index}", data={**form, "csrf": "токен"}).status_code == 403
    assert client.post(f"/case/{doc_id}/{index}", data={**form, "version": "abc"}).status_code == 422
    assert client.post(f"/case/{doc_id}/{index}", data={**form, "remove_charge": "x"}).status_code == 422
    assert client.post(f"/case/{doc_id}/{index}", data={**form, "riots_connection_action": "correct",
                                                        "riots_connection_value": "banana"}).status_code == 422
    assert client.post(f"/case/{doc_id}/-1", data=form).status_code in (404, 422)
    for bad in (0, 99, -1):
        assert client.get(f"/page/{doc_id}/{bad}.png").status_code in (404, 422)
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    with Store(db) as s:
        assert s.db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0


def test_signing_out_ends_the_session_even_for_a_copied_cookie(db: Path) -> None:
    runner.invoke(cli, ["reviewer", "add", "Бекова Д.", "--db", str(db), "--password-stdin"],
                  input="correct horse battery\n")  # fmt: skip
    client = TestClient(create_app(db, LAW, accounts=True, hosts=HOSTS), follow_redirects=False)
    login = client.get("/login").text
    client.post("/login", data={"csrf": token(login), "name": "Бекова Д.", "password": "correct horse battery"})
    copied = dict(client.cookies)
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf": token(client.get("/").text)})
    thief = TestClient(client.app, follow_redirects=False, cookies=copied)
    assert thief.get("/").status_code == 303


def test_a_review_flows_into_the_exports_and_the_summary(db: Path, tmp_path: Path) -> None:
    client = TestClient(create_app(db, LAW, reviewer="r", hosts=HOSTS))
    doc_id, index = first_reduce(db)
    case = client.get(f"/case/{doc_id}/{index}").text
    saved = client.post(f"/case/{doc_id}/{index}", data={"csrf": token(case), "version": "0",
                                                         "riots_connection_action": "correct",
                                                         "riots_connection_value": "false"})  # fmt: skip
    assert saved.status_code == 200
    out = tmp_path / "x.csv"
    runner.invoke(cli, ["export", "--db", str(db), "--out", str(out)])
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    with Store(db) as s:
        path = s.db.execute("SELECT path FROM documents WHERE rowid = ?", (doc_id,)).fetchone()[0]
        person = s.db.execute("SELECT * FROM defendants WHERE path = ? AND idx = ?", (path, index)).fetchone()
    assert person["decision"] == "not_covered"  # no link to the riots: the act does not cover it
    assert [r["decision"] for r in rows if r["path"] == path][index] == "not_covered"
