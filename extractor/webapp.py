"""The review workspace: a local web application over a screening store (FastAPI, server-rendered, no CDN).

Reviewers open the defendants the tool was not sure about, see the verdict page with the evidence boxed beside the
facts and the decision's reasons, accept or correct facts, and see the decision made again. Every form carries a
CSRF token bound to the session (a page on another site cannot post to a reviewer's local server); with accounts
(required when bound beyond this machine) reviewers sign in with a password hashed by argon2.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware

from extractor.amnesty.law import AmnestyLaw
from extractor.highlight import DPI, page_boxes, page_png
from extractor.review import FIELDS, SCALARS, Conflict, Edit, ReviewError, current_facts, queue, save
from extractor.store import Store
from models import Defendant, Evidence, VerdictFacts
from models.eligibility import Decision
from models.facts import Outcome as Verdict
from models.facts import Recidivism, Regime, SentenceKind

HERE = Path(__file__).parent
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def hash_password(password: str) -> str:
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so that a wrong name takes as long as a wrong password."""
    return hash_password(secrets.token_urlsafe(16))


def check_password(hashed: str | None, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return PasswordHasher().verify(hashed or _dummy_hash(), password) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False


def create_app(
    db: Path,
    law: AmnestyLaw,
    *,
    reviewer: str | None = None,
    accounts: bool = False,
    secure_cookies: bool = False,
    hosts: tuple[str, ...] = (),
) -> FastAPI:
    """The application over store ``db``. Without ``accounts`` every change is made as ``reviewer`` (the person
    at this machine); with them, only signed-in reviewers see or change anything. Requests must name this
    machine or one of ``hosts`` (a page on another site that rebinds its name to 127.0.0.1 is refused)."""
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    app = FastAPI(title="verdicts review", docs_url=None, redoc_url=None, openapi_url=None)
    allowed = ["127.0.0.1", "localhost", "[::1]", *hosts]
    live_sessions: set[str] = set()  # signing out ends a session even if its cookie was copied
    app.add_middleware(
        SessionMiddleware,
        secret_key=secrets.token_urlsafe(32),  # sessions end when the server stops
        session_cookie="verdicts_review",
        same_site="strict",
        https_only=secure_cookies,
        max_age=8 * 3600,
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed)

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        # A form posted from another origin is refused whatever its token (browsers send Origin on POST).
        origin = request.headers.get("origin")
        if request.method == "POST" and origin and origin.split("://", 1)[-1] != request.headers.get("host"):
            return Response("cross-origin form refused", status_code=403)
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
            "form-action 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Autoescape everything: names, quotes and file names come from verdicts (the .j2 suffix is not on
    # Jinja's default list of extensions to escape).
    pages = Jinja2Templates(
        env=jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates" / "review"), autoescape=True)
    )
    cached: dict[str, Any] = {}

    def store() -> Store:
        return Store(db)

    def who(request: Request) -> str:
        if not accounts:
            return reviewer or "reviewer"
        name, sid = request.session.get("reviewer"), request.session.get("sid")
        if not name or sid not in live_sessions or not _is_reviewer(name):
            raise HTTPException(303, headers={"Location": "/login"})
        return name

    def _is_reviewer(name: str) -> bool:
        with store() as s:
            return s.db.execute("SELECT 1 FROM reviewers WHERE name = ?", (name,)).fetchone() is not None

    def csrf(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = request.session["csrf"] = secrets.token_urlsafe(32)
        return token

    async def form(request: Request) -> dict[str, Any]:
        data = await request.form()
        sent, expected = str(data.get("csrf", "")).encode(), str(request.session.get("csrf", "")).encode()
        if not expected or not secrets.compare_digest(sent, expected):
            raise HTTPException(403, "the form's security token is missing or stale; reload the page and try again")
        return {key: data.getlist(key) if key == "remove_charge" else data.get(key) for key in data}

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.update(csrf=csrf(request), signed_in=request.session.get("reviewer"), accounts=accounts)
        return pages.TemplateResponse(request, name, context, status_code=status)

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request) -> HTMLResponse:
        return render(request, "login.html.j2")

    @app.post("/login")
    async def login(request: Request) -> Response:
        data = await form(request)
        name, password = str(data.get("name") or ""), str(data.get("password") or "")
        with store() as s:
            row = s.db.execute("SELECT password_hash FROM reviewers WHERE name = ?", (name,)).fetchone()
        if not await run_in_threadpool(check_password, row[0] if row else None, password):
            return render(request, "login.html.j2", status=401, error="unknown reviewer or wrong password")
        live_sessions.discard(request.session.get("sid", ""))
        request.session.clear()  # a new session: one planted before signing in is worth nothing
        request.session.update(reviewer=name, sid=secrets.token_urlsafe(16))
        live_sessions.add(request.session["sid"])
        return RedirectResponse("/", status_code=303)

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        await form(request)
        live_sessions.discard(request.session.get("sid", ""))
        request.session.clear()
        return RedirectResponse("/login" if accounts else "/", status_code=303)

    @app.get("/", response_class=HTMLResponse)
    def queue_page(
        request: Request, decision: str | None = None, court: str | None = None, flag: str | None = None
    ) -> HTMLResponse:
        name = who(request)
        with store() as s:
            # The queue is worked out again only when the store changed (a save or a screening run).
            seen = tuple(s.db.execute("SELECT count(*), total(version), max(updated_at) FROM documents").fetchone())
            if cached.get("seen") != seen:
                cached.update(seen=seen, everyone=queue(s, law), ids={
                    r["path"]: r["id"] for r in s.db.execute("SELECT rowid AS id, path FROM documents")
                })  # fmt: skip
            everyone, ids = cached["everyone"], cached["ids"]
            items = [i for i in everyone if _wanted(i, decision, court, flag)]
        left = sum(i.needs_review and not i.reviewed for i in everyone)
        return render(
            request, "queue.html.j2", reviewer=name, items=items, ids=ids, left=left, total=len(everyone),
            decisions=[d.value for d in Decision], courts=sorted({i.court for i in everyone if i.court}),
            flags=sorted({f for i in everyone for f in i.flags}),
            chosen={"decision": decision or "", "court": court or "", "flag": flag or ""},
        )  # fmt: skip

    @app.get("/page/{doc_id}/{number}.png")
    def page_image(request: Request, doc_id: int, number: int) -> Response:
        who(request)
        with store() as s:
            doc = _document(s, doc_id)
        path = Path(doc["path"])
        if path.suffix.lower() != ".pdf" or not path.is_file():
            raise HTTPException(404, "the verdict file is not available to show (moved, deleted or not a PDF)")
        if not 1 <= number <= (doc["pages"] or 0):
            raise HTTPException(404, "no such page in this verdict")
        return Response(page_png(str(path), number, path.stat().st_mtime_ns), media_type="image/png")

    @app.get("/case/{doc_id}/{index}", response_class=HTMLResponse)
    def case_page(request: Request, doc_id: int, index: int, page: int | None = None, saved: int = 0) -> HTMLResponse:
        name = who(request)
        with store() as s:
            return _case(request, s, doc_id, index, page, reviewer=name, saved=bool(saved))

    @app.post("/case/{doc_id}/{index}", response_class=HTMLResponse)
    async def case_save(request: Request, doc_id: int, index: int) -> Response:
        name = who(request)
        data = await form(request)
        with store() as s:
            doc = _document(s, doc_id)
            try:
                edits = edits_from_form(data)
                if not edits:
                    raise ReviewError("nothing to save: accept or correct at least one fact")
                version = _int(data.get("version"))
                comment = str(data.get("comment") or "")

                def saving() -> None:  # in a worker thread, with its own connection (argon2 and SQLite block)
                    with store() as own:
                        save(own, doc["path"], index, edits, reviewer=name, version=version, law=law, comment=comment)

                await run_in_threadpool(saving)
            except Conflict as exc:
                return _case(request, s, doc_id, index, None, reviewer=name, error=str(exc), status=409)
            except ReviewError as exc:
                if not 0 <= index < len(current_facts(doc).defendants if doc["facts_json"] else []):
                    raise HTTPException(404, "no such defendant in this document") from exc
                return _case(request, s, doc_id, index, None, reviewer=name, error=str(exc), status=422)
        return RedirectResponse(f"/case/{doc_id}/{index}?saved=1", status_code=303)

    def _case(
        request: Request, s: Store, doc_id: int, index: int, page: int | None, *, reviewer: str,
        saved: bool = False, error: str | None = None, status: int = 200,
    ) -> HTMLResponse:  # fmt: skip
        doc = _document(s, doc_id)
        facts = current_facts(doc)
        if facts is None or not 0 <= index < len(facts.defendants):
            raise HTTPException(404, "no such defendant in this document")
        machine = VerdictFacts.model_validate_json(doc["facts_json"]).defendants[index]
        person = facts.defendants[index]
        evidence = _evidence(person)
        if page is None:
            first = person.eligibility and next((r for r in person.eligibility.reasons if r.decisive), None)
            page = (first.evidence[0].page if first and first.evidence else None) or (
                evidence[0][1].page if evidence else 1
            )
        pdf = Path(doc["path"])
        on_page = tuple(ev for _, ev in evidence if ev.page == page)
        placed = iter(page_boxes(pdf, page, on_page) if pdf.suffix.lower() == ".pdf" and pdf.is_file() else [])
        shown = [
            {"n": k, "label": label, "quote": ev.text, "page": ev.page,
             "boxes": next(placed, []) if ev.page == page else []}
            for k, (label, ev) in enumerate(evidence)
        ]  # fmt: skip
        history = s.db.execute(
            "SELECT * FROM corrections WHERE path = ? ORDER BY id DESC", (doc["path"],)
        ).fetchall()
        return render(
            request, "case.html.j2", status=status, reviewer=reviewer, doc=doc, doc_id=doc_id, index=index,
            facts=facts, person=person, machine=machine, page=page, pages=facts.source.pages, evidence=shown,
            scale=DPI / 72, history=history, saved=saved, error=error, scalars=_scalar_rows(person, machine),
            ev_id={(ev.page, ev.start, ev.end): k for k, (_, ev) in enumerate(evidence)},
            kinds=[k.value for k in SentenceKind], regimes=[r.value for r in Regime],
            flags=[f for f in facts.review_flags if f.defendant in (None, person.name.value)],
        )  # fmt: skip

    return app


def _wanted(item: Any, decision: str | None, court: str | None, flag: str | None) -> bool:
    return (
        (not decision or item.decision == decision)
        and (not court or item.court == court)
        and (not flag or flag in item.flags)
    )


def _document(s: Store, doc_id: int) -> Any:
    doc = s.db.execute("SELECT rowid AS id, * FROM documents WHERE rowid = ?", (doc_id,)).fetchone()
    if doc is None:
        raise HTTPException(404, "no such document in this store")
    return doc


CHOICES: dict[str, list[str]] = {
    "outcome": [o.value for o in Verdict],
    "recidivism": [r.value for r in Recidivism],
    "riots_connection": ["true", "false"],
    "minor_at_offense": ["true", "false"],
}


def _scalar_rows(person: Defendant, machine: Defendant) -> list[dict[str, Any]]:
    rows = []
    for name in SCALARS:
        fact, read = getattr(person, name), getattr(machine, name)
        value = fact.value.value if hasattr(fact.value, "value") else fact.value
        rows.append(
            {
                "field": name,
                "value": "" if value is None else str(value).lower(),
                "machine": read.value.value if hasattr(read.value, "value") else read.value,
                "confidence": fact.confidence,
                "choices": CHOICES[name],
            }
        )
    return rows


def _evidence(person: Defendant) -> list[tuple[str, Evidence]]:
    """Every piece of evidence for this person's facts and decision, labelled."""
    found: list[tuple[str, Evidence]] = [("name", e) for e in person.name.evidence]
    for name in SCALARS:
        found += [(name, e) for e in getattr(person, name).evidence]
    for charge in person.charges:
        found += [(f"charge {charge.cite()}", e) for e in charge.evidence]
    if person.sentence:
        found += [("sentence", e) for e in person.sentence.evidence]
    for prior in person.prior_convictions:
        found += [(f"prior {prior.cite()}", e) for e in prior.evidence]
    for marker in person.exclusion_markers:
        found += [(f"marker {marker.value.value}", e) for e in marker.evidence]
    if person.eligibility:
        for reason in person.eligibility.reasons:
            found += [(f"{reason.provision}", e) for e in reason.evidence]
    unique: dict[tuple[int, int, int], tuple[str, Evidence]] = {}
    for label, ev in found:
        unique.setdefault((ev.page, ev.start, ev.end), (label, ev))
    return list(unique.values())


def edits_from_form(data: dict[str, Any]) -> list[Edit]:
    """The reviewer's form as edits: per fact keep / accept / correct, charges to remove or add."""
    edits = []
    for name in SCALARS:
        action = data.get(f"{name}_action") or "keep"
        if action in ("accept", "correct"):
            edits.append(Edit(name, action, data.get(f"{name}_value")))
    action = data.get("sentence_action") or "keep"
    if action == "accept":
        edits.append(Edit("sentence", "accept"))
    elif action == "correct":
        edits.append(
            Edit(
                "sentence",
                "correct",
                {
                    "kind": data.get("sentence_kind"),
                    "years": _int(data.get("sentence_years")),
                    "months": _int(data.get("sentence_months")),
                    "regime": data.get("sentence_regime") or None,
                    "conditional": data.get("sentence_conditional") == "on",
                },
            )
        )
    if data.get("charges_accept") == "on":
        edits.append(Edit("charges", "accept"))
    for index in sorted((_int(i) for i in data.get("remove_charge") or []), reverse=True):
        edits.append(Edit("charges", "remove", index))
    if (data.get("add_article") or "").strip():
        edits.append(
            Edit(
                "charges",
                "add",
                {
                    "article": data["add_article"],
                    "part": data.get("add_part"),
                    "paragraph": data.get("add_paragraph"),
                    "offense_date": data.get("add_date"),
                },
            )
        )
    assert {e.field for e in edits} <= set(FIELDS)
    return edits


def _int(value: Any) -> int:
    try:
        return int(str(value or "0").strip() or 0)
    except ValueError:
        raise ReviewError(f"{value!r} is not a whole number") from None
