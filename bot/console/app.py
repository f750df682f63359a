"""The staff console: a Sanic app with one page (``/``) and a JSON API under ``/api/``.

Security model, in one place:

- Authentication: a session cookie (:mod:`bot.console.sessions`) set by ``POST /login``; logins are throttled by the
  account lockout of :mod:`bot.console.staff`.
- Authorisation: every API handler asks :mod:`bot.console.access`; the page hiding a tab is never the protection.
- CSRF: every change (POST other than /login) needs the session's token in ``X-CSRF-Token``, and any ``Origin`` (or
  else ``Referer``) must be the console's own (``DOULA_CONSOLE_URL``); the cookie is also SameSite=Strict.
- XSS: the CSP allows only this server's own script and style files (no inline script at all), and the page renders
  every text with ``textContent``.
- Privacy: nothing here logs message text, passwords or her identifiers; viewing a conversation, exporting metrics
  and every change are written to the audit log.

Database calls are synchronous (SQLAlchemy); they run in threads so one slow query or password hash does not stall
the other staff's polling.
"""

from __future__ import annotations

import asyncio
import html
import importlib
import json
import logging
import traceback
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request as HttpRequest
from sanic.response import HTTPResponse

from bot.console import access
from bot.console.metrics import compute, parse_period, to_csv
from bot.console.sessions import COOKIE, Session, SessionStore, cookie_attributes
from bot.console.staff import LoginFailed, StaffDirectory, StaffUser
from bot.content.catalog import load_catalog, load_ui
from bot.paths import CONTENT_DIR
from bot.services.feedback.export import FORMATS as FEEDBACK_FORMATS
from bot.services.feedback.export import MEDIA_TYPES as FEEDBACK_MEDIA_TYPES
from bot.services.feedback.export import ExportError
from bot.services.feedback.export import collect as collect_feedback
from bot.services.feedback.export import render as render_feedback
from bot.services.feedback.store import FeedbackStore
from bot.services.handoff.desk import BOT, CLAIMED, FAILED, HELD, STAFF, HandoffDesk, HandoffError, Message, Request
from bot.services.handoff.notifiers import load_staff_texts
from bot.services.translation import TranslationError, Translator
from bot.settings import Settings
from bot.storage.database import engine_for

logger = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
TEXTS_FILE = CONTENT_DIR / "staff" / "console.yml"
PAGE = STATIC / "console.html"
MEDIA_MARKER = "[media]"  # what bot.services.handoff.assistant stores for a voice note or picture
MAX_TEXT = 2000
MAX_BODY = 64 * 1024
STATUSES = ("waiting", "claimed", "closed")
DEFAULT_STATUSES = ("waiting", "claimed")
# Opening a conversation is audited; the page's refresh of an open conversation is not audited again within this.
VIEW_AUDIT_EVERY = timedelta(minutes=10)
PURGE_SESSIONS_EVERY = 600.0
METRICS_LIMIT = 100_000
CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
# The console needs no camera, microphone, location or payment: a script injected despite the CSP gets none either.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Which page files may be fetched, with their content types (an explicit list: no path is taken from the URL).
STATIC_FILES = {"console.js": "text/javascript; charset=utf-8", "console.css": "text/css; charset=utf-8"}

T = TypeVar("T")


class ApiError(Exception):
    """A refused API call: ``{"error": code}`` (plus a staff-readable ``message`` for refused desk actions)."""

    def __init__(self, status: int, code: str, message: str | None = None) -> None:
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


@lru_cache(maxsize=2)
def load_console_texts(path: Path = TEXTS_FILE) -> dict[str, str]:
    """The console's staff-facing strings (content/staff/console.yml), ``key -> text``."""
    return load_ui(path).messages


def clean_text(text: object) -> str:
    """Staff input as it will be stored: NFC, line breaks kept, other control characters removed, ends trimmed."""
    if not isinstance(text, str):
        raise ApiError(400, "invalid_text")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc").strip()


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` as a browser sends it in ``Origin`` (default ports left out)."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        return ""
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(timezone.utc).isoformat()


@dataclass
class Console:
    """What the handlers share: the desk, accounts, sessions and the deployment's settings."""

    settings: Settings
    desk: HandoffDesk
    staff: StaffDirectory
    sessions: SessionStore
    origin: str
    secure: bool
    language_names: dict[str, str]
    translator: Translator | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc))
    _viewed: dict[tuple[int, int], datetime] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> Console:
        engine = engine_for(settings.database_url)
        return cls(settings=settings, desk=HandoffDesk.from_settings(settings), staff=StaffDirectory(engine),
                   sessions=SessionStore(engine),
                   origin=origin_of(settings.console_url), secure=settings.console_url.lower().startswith("https://"),
                   language_names={code: info.name for code, info in load_catalog().languages.items()},
                   translator=Translator.from_settings(settings))

    # -- checks ------------------------------------------------------------------------------------------------------
    def origin_ok(self, request: HttpRequest) -> bool:
        """A browser names the page that sent a request in Origin (or at least Referer): it must be ours. Clients
        that send neither (curl, scripts) still need the session and its CSRF token."""
        origin = request.headers.get("origin")
        if origin is not None:
            return origin_of(origin) == self.origin and origin.lower() != "null"
        referer = request.headers.get("referer")
        if referer:
            return origin_of(referer) == self.origin
        return True

    async def session(self, request: HttpRequest, change: bool = False) -> Session:
        """The caller's live session, or 401. For a change, also the origin and CSRF checks (403)."""
        if change and not self.origin_ok(request):
            raise ApiError(403, "origin_mismatch")
        background = request.headers.get("x-doula-poll") == "1"
        session = await asyncio.to_thread(self.sessions.lookup, request.cookies.get(COOKIE), not background)
        if session is None:
            raise ApiError(401, "login_required")
        if change and not session.csrf_ok(request.headers.get("x-csrf-token")):
            raise ApiError(403, "csrf_failed")
        return session

    async def handoff_request(self, staff: StaffUser, request_id: int) -> Request:
        """The request, if this person may act on it: 403 for roles without conversations (whatever the id), 404
        when it does not exist, 403 for another language's request."""
        if not access.can_see_requests(staff):
            raise ApiError(403, "forbidden")
        found = await asyncio.to_thread(self.desk.get, request_id)
        if found is None:
            raise ApiError(404, "not_found")
        if not access.can_access_request(staff, found):
            raise ApiError(403, "forbidden")
        return found

    @staticmethod
    def admin(session: Session) -> None:
        if not access.can_administer(session.staff):
            raise ApiError(403, "forbidden")

    def should_audit_view(self, staff_id: int, request_id: int) -> bool:
        now = self.clock()
        key = (staff_id, request_id)
        last = self._viewed.get(key)
        if last is not None and now - last < VIEW_AUDIT_EVERY:
            return False
        if len(self._viewed) > 10_000:
            self._viewed = {k: v for k, v in self._viewed.items() if now - v < VIEW_AUDIT_EVERY}
        self._viewed[key] = now
        return True

    # -- JSON shapes -------------------------------------------------------------------------------------------------
    def language(self, code: str) -> dict[str, str]:
        return {"code": code, "name": self.language_names.get(code, code)}

    def request_json(self, item: Request, names: dict[int, str], staff: StaffUser) -> dict[str, Any]:
        phrases = load_staff_texts()
        now = self.clock()
        return {
            "id": item.id,
            "language": self.language(item.language),
            "channel": {"code": item.channel, "name": phrases.channel(item.channel)},
            "reason": {"code": item.reason, "text": phrases.reason(item.reason)},
            "summary": item.summary,
            "status": item.status,
            "created_at": iso(item.created_at),
            "due_at": iso(item.due_at),
            "claimed_at": iso(item.claimed_at),
            "first_reply_at": iso(item.first_reply_at),
            "closed_at": iso(item.closed_at),
            "escalated": item.escalated_at is not None,
            "overdue": item.overdue(now),
            "urgent": item.open and item.urgent_at is not None,
            "urgent_at": iso(item.urgent_at),
            "claimed_by": names.get(item.claimed_by) if item.claimed_by is not None else None,
            "claimed_by_me": item.claimed_by == staff.id,
        }

    @staticmethod
    def message_json(message: Message, names: dict[int, str]) -> dict[str, Any]:
        text, media = message.text, False
        if message.author == "her" and text.startswith(MEDIA_MARKER):
            text, media = text[len(MEDIA_MARKER):].strip(), True
        return {
            "id": message.id,
            "author": message.author,
            "created_at": iso(message.created_at),
            "text": text,
            "media": media,
            "staff": names.get(message.staff_id) if message.staff_id is not None else None,
            "original": message.original,
            "translation": message.translation,
            "urgent": message.urgent,
            "delivery": message.delivery,
            "can_retry": message.author in (STAFF, BOT) and message.delivery in (FAILED, HELD),
        }

    def conversation(self, item: Request, staff: StaffUser) -> dict[str, Any]:
        messages = self.desk.messages(item.id, include_notes=True)
        names = self.staff.names([item.claimed_by, item.closed_by] + [m.staff_id for m in messages])
        return {"request": self.request_json(item, names, staff),
                "messages": [self.message_json(m, names) for m in messages]}


# -- responses -------------------------------------------------------------------------------------------------------
def _json(body: Any, status: int = 200) -> HTTPResponse:
    return response.json(body, status=status, ensure_ascii=False)


def _body(request: HttpRequest) -> dict[str, Any]:
    raw = request.body or b""
    if not raw.strip():
        return {}
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "invalid_json") from exc
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_json")
    return payload


def _staff_text(payload: dict[str, Any]) -> str:
    text = clean_text(payload.get("text"))
    if not text:
        raise ApiError(400, "empty_text")
    if len(text) > MAX_TEXT:
        raise ApiError(400, "text_too_long")
    return text


def _render_page(texts: dict[str, str]) -> str:
    page = PAGE.read_text(encoding="utf-8")
    for key, value in texts.items():
        page = page.replace("{{" + key + "}}", html.escape(value, quote=True))
    return page


async def _desk_action(action: Callable[[], T]) -> T:
    """Run a desk change; a transition the request's state does not allow is a 409 with the desk's explanation."""
    try:
        return await asyncio.to_thread(action)
    except HandoffError as exc:
        raise ApiError(409, "not_allowed", str(exc)) from exc


async def _reply_translated(console: Console, item: Request, staff: StaffUser, typed: str) -> None:
    """Queue `typed` (English) machine-translated into her language, keeping what was typed. Checked before the text
    leaves the server: the request must be claimed by this person (else 409, as the desk would say), and the
    translator must answer (else 502 ``translation_failed``, and nothing is queued for her)."""
    if item.status != CLAIMED or item.claimed_by != staff.id:
        raise ApiError(409, "not_allowed", "claim the request before replying")
    translator = console.translator
    assert translator is not None
    try:
        translated = await asyncio.to_thread(translator.translate, typed, "en", item.language)
    except TranslationError as exc:
        logger.warning("reply to request %s not sent: %s", item.id, exc)  # the error never quotes the text
        raise ApiError(502, "translation_failed") from None
    await _desk_action(lambda: console.desk.reply(item.id, staff.id, translated, original=typed,
                                                  translation="machine"))


def create_app(settings: Settings, start_worker: bool = True) -> Sanic:
    """The console app. `start_worker` also runs the handoff worker (escalations, deliveries to her, staff
    notifications) in this process; tests and deployments that run the worker elsewhere pass False."""
    console = Console.from_settings(settings)
    texts = load_console_texts()
    app = Sanic(_app_name(), configure_logging=False)
    app.config.REQUEST_MAX_SIZE = MAX_BODY
    app.ctx.console = console

    # -- errors and headers ------------------------------------------------------------------------------------------
    @app.exception(ApiError)
    async def api_error(request: HttpRequest, exc: ApiError) -> HTTPResponse:
        body = {"error": exc.code}
        if exc.message:
            body["message"] = exc.message
        return _json(body, exc.status)

    @app.exception(SanicException)
    async def http_error(request: HttpRequest, exc: SanicException) -> HTTPResponse:
        status = getattr(exc, "status_code", 500) or 500
        codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        return _json({"error": codes.get(status, "bad_request" if status < 500 else "internal")}, status)

    @app.exception(Exception)
    async def crash(request: HttpRequest, exc: Exception) -> HTTPResponse:
        # The exception's message may quote SQL parameters (a username, an encrypted body): log where, not what.
        logger.error("console error %s on %s %s\n%s", type(exc).__name__, request.method, request.path,
                     "".join(traceback.format_tb(exc.__traceback__)))
        return _json({"error": "internal"}, 500)

    @app.on_response
    async def security_headers(request: HttpRequest, resp: HTTPResponse) -> None:
        headers = resp.headers
        headers["Content-Security-Policy"] = CSP
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        headers["Cache-Control"] = "no-cache" if request.path.startswith("/static/") else "no-store"
        if console.secure:
            headers["Strict-Transport-Security"] = "max-age=31536000"

    # -- page --------------------------------------------------------------------------------------------------------
    @app.get("/")
    async def page(request: HttpRequest) -> HTTPResponse:
        return response.html(_render_page(texts))

    @app.get("/static/<name:str>")
    async def static(request: HttpRequest, name: str) -> HTTPResponse:
        if name not in STATIC_FILES:
            raise ApiError(404, "not_found")
        return response.raw((STATIC / name).read_bytes(), content_type=STATIC_FILES[name])

    @app.get("/favicon.ico")
    async def favicon(request: HttpRequest) -> HTTPResponse:
        return response.empty()  # browsers ask for it; a 404 would only clutter their consoles

    @app.get("/api/texts")
    async def console_texts(request: HttpRequest) -> HTTPResponse:
        return _json(texts)

    # -- login -------------------------------------------------------------------------------------------------------
    @app.post("/login")
    async def login(request: HttpRequest) -> HTTPResponse:
        if not console.origin_ok(request):
            raise ApiError(403, "origin_mismatch")
        is_form = "application/json" not in (request.headers.get("content-type") or "")
        if is_form:
            username, password = request.form.get("username"), request.form.get("password")
        else:
            payload = _body(request)
            username, password = payload.get("username"), payload.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            raise ApiError(400, "invalid_login")
        try:
            user = await asyncio.to_thread(console.staff.authenticate, username, password)
        except LoginFailed:
            if is_form:
                return response.redirect("/?login=failed", status=303)
            return _json({"error": "login_failed"}, 401)
        await asyncio.to_thread(console.sessions.end, request.cookies.get(COOKIE))  # no session fixation
        token, session = await asyncio.to_thread(console.sessions.create, user.id)
        resp = response.redirect("/", status=303) if is_form else _json({"ok": True, "csrf_token": session.csrf_token})
        resp.cookies[COOKIE] = token
        for key, value in cookie_attributes(console.secure).items():
            resp.cookies[COOKIE][key] = value
        return resp

    @app.post("/logout")
    async def logout(request: HttpRequest) -> HTTPResponse:
        session = await console.session(request, change=True)
        await asyncio.to_thread(console.sessions.end, request.cookies.get(COOKIE))
        await asyncio.to_thread(console.desk.audit, session.staff.id, "logout")
        resp = _json({"ok": True})
        resp.cookies[COOKIE] = ""
        for key, value in cookie_attributes(console.secure, max_age=0).items():
            resp.cookies[COOKIE][key] = value
        return resp

    @app.get("/api/me")
    async def me(request: HttpRequest) -> HTTPResponse:
        session = await console.session(request)
        staff = session.staff
        visible = access.request_languages(staff)
        codes = list(console.language_names) if visible is None else list(visible)
        return _json({
            "id": staff.id, "username": staff.username, "display_name": staff.display_name, "role": staff.role,
            "languages": [console.language(code) for code in staff.languages],
            "filter_languages": [console.language(code) for code in codes],
            "pages": list(access.pages(staff)), "csrf_token": session.csrf_token,
            "timezone": settings.timezone, "console_url": settings.console_url,
            "translator": console.translator is not None, "max_text": MAX_TEXT,
        })

    # -- queue and conversations -------------------------------------------------------------------------------------
    @app.get("/api/requests")
    async def queue(request: HttpRequest) -> HTTPResponse:
        session = await console.session(request)
        staff = session.staff
        if not access.can_see_requests(staff):
            raise ApiError(403, "forbidden")
        statuses = _csv_arg(request, "status") or list(DEFAULT_STATUSES)
        if any(status not in STATUSES for status in statuses):
            raise ApiError(400, "invalid_status")
        allowed = access.request_languages(staff)
        wanted = _csv_arg(request, "language")
        languages: list[str] | None
        if wanted:
            languages = [code for code in wanted if allowed is None or code in allowed]
        else:
            languages = None if allowed is None else list(allowed)
        items = await asyncio.to_thread(console.desk.requests, statuses, languages, 200)
        names = await asyncio.to_thread(console.staff.names, [item.claimed_by for item in items])
        return _json({"requests": [console.request_json(item, names, staff) for item in items]})

    @app.get("/api/requests/<request_id:int>")
    async def view(request: HttpRequest, request_id: int) -> HTTPResponse:
        session = await console.session(request)
        item = await console.handoff_request(session.staff, request_id)
        if console.should_audit_view(session.staff.id, item.id):
            await asyncio.to_thread(console.desk.audit, session.staff.id, "view", item.id)
        return _json(await asyncio.to_thread(console.conversation, item, session.staff))

    @app.post("/api/requests/<request_id:int>/claim")
    async def claim(request: HttpRequest, request_id: int) -> HTTPResponse:
        session = await console.session(request, change=True)
        item = await console.handoff_request(session.staff, request_id)
        take_over = _body(request).get("take_over", False)
        if not isinstance(take_over, bool):
            raise ApiError(400, "invalid_take_over")
        item = await _desk_action(lambda: console.desk.claim(item.id, session.staff.id, take_over=take_over))
        return _json(await asyncio.to_thread(console.conversation, item, session.staff))

    @app.post("/api/requests/<request_id:int>/reply")
    async def reply(request: HttpRequest, request_id: int) -> HTTPResponse:
        session = await console.session(request, change=True)
        item = await console.handoff_request(session.staff, request_id)
        payload = _body(request)
        translate = payload.get("translate", False)
        if not isinstance(translate, bool):
            raise ApiError(400, "invalid_translate")
        if translate and console.translator is None:
            raise ApiError(400, "translator_not_configured")
        text = _staff_text(payload)
        if translate and item.language != "en":
            await _reply_translated(console, item, session.staff, text)
        else:
            await _desk_action(lambda: console.desk.reply(item.id, session.staff.id, text))
        return _json(await asyncio.to_thread(console.conversation, item, session.staff))

    @app.post("/api/requests/<request_id:int>/note")
    async def note(request: HttpRequest, request_id: int) -> HTTPResponse:
        session = await console.session(request, change=True)
        item = await console.handoff_request(session.staff, request_id)
        text = _staff_text(_body(request))
        await _desk_action(lambda: console.desk.note(item.id, session.staff.id, text))
        return _json(await asyncio.to_thread(console.conversation, item, session.staff))

    @app.post("/api/requests/<request_id:int>/close")
    async def close(request: HttpRequest, request_id: int) -> HTTPResponse:
        session = await console.session(request, change=True)
        item = await console.handoff_request(session.staff, request_id)
        item = await _desk_action(lambda: console.desk.close(item.id, session.staff.id))
        return _json(await asyncio.to_thread(console.conversation, item, session.staff))

    @app.post("/api/messages/<message_id:int>/retry")
    async def retry(request: HttpRequest, message_id: int) -> HTTPResponse:
        """Send a failed or held message again. The body names its request (``{"request_id": n}``) so access is
        checked on the request, and the message must belong to it."""
        session = await console.session(request, change=True)
        if not access.can_see_requests(session.staff):
            raise ApiError(403, "forbidden")
        request_id = _body(request).get("request_id")
        if not isinstance(request_id, int) or isinstance(request_id, bool):
            raise ApiError(400, "invalid_request_id")
        item = await console.handoff_request(session.staff, request_id)
        messages = await asyncio.to_thread(console.desk.messages, item.id, False)
        if all(message.id != message_id for message in messages):
            raise ApiError(404, "not_found")
        await _desk_action(lambda: console.desk.retry_delivery(message_id, session.staff.id))
        return _json(await asyncio.to_thread(console.conversation, item, session.staff))

    # -- feedback and administration ---------------------------------------------------------------------------------
    feedback_store = FeedbackStore(engine_for(settings.database_url))

    @app.get("/api/feedback")
    async def feedback(request: HttpRequest) -> HTTPResponse:
        """What the Feedback page offers: the formats, and the sites to filter by (the trust's, and any in
        stored feedback)."""
        session = await console.session(request)
        if not access.can_see_feedback(session.staff):
            raise ApiError(403, "forbidden")
        stored = await asyncio.to_thread(feedback_store.sites)
        sites = list(dict.fromkeys([*settings.feedback_sites, *stored]))
        return _json({"available": True, "formats": list(FEEDBACK_FORMATS), "sites": sites,
                      "min_cell": settings.feedback_min_cell})

    @app.get("/api/feedback/export")
    async def feedback_export(request: HttpRequest) -> HTTPResponse:
        """A feedback export (``format=csv|xlsx|html&from=YYYY-MM&to=YYYY-MM[&site=]``) as a download: only what
        women agreed to share with the MVP, suppressed as `doula feedback export` does. Audited, without content."""
        session = await console.session(request)
        if not access.can_see_feedback(session.staff):
            raise ApiError(403, "forbidden")
        fmt = request.args.get("format", "")
        if fmt not in FEEDBACK_FORMATS:
            raise ApiError(400, "invalid_format")
        site = (request.args.get("site") or "").strip()[:80] or None
        try:
            export = await asyncio.to_thread(collect_feedback, feedback_store, request.args.get("from", ""),
                                             request.args.get("to", ""), site, settings.feedback_min_cell)
        except ExportError as exc:
            raise ApiError(400, "invalid_months") from exc
        body = await asyncio.to_thread(render_feedback, export, fmt)
        detail = f"{fmt} {export.start} to {export.end}{' site ' + site if site else ''}: {len(export.records)} " \
                 f"shared, {export.withheld} not shared"
        await asyncio.to_thread(console.desk.audit, session.staff.id, "feedback_export", None, detail[:200])
        return response.raw(body, content_type=FEEDBACK_MEDIA_TYPES[fmt],
                            headers={"Content-Disposition": f'attachment; filename="{export.filename(fmt)}"'})

    def metrics_for(request: HttpRequest) -> tuple[Any, list[Any]]:
        tz = ZoneInfo(settings.timezone)
        try:
            within = parse_period(request.args.get("from"), request.args.get("to"), settings.timezone,
                                  console.clock().astimezone(tz).date())
        except ValueError as exc:
            raise ApiError(400, "invalid_period") from exc
        everything = console.desk.requests(limit=METRICS_LIMIT)
        return within, compute(everything, within, console.clock())

    @app.get("/api/metrics")
    async def metrics(request: HttpRequest) -> HTTPResponse:
        session = await console.session(request)
        console.admin(session)
        within, rows = await asyncio.to_thread(metrics_for, request)
        failed = await asyncio.to_thread(console.desk.failed_notifications)
        return _json({
            "from": within.first.isoformat(), "to": within.last.isoformat(), "timezone": settings.timezone,
            "rows": [{**row.as_dict(), "language_name": console.language_names.get(row.language, row.language)}
                     for row in rows],
            "failed_notifications": failed,
        })

    @app.get("/api/metrics.csv")
    async def metrics_csv(request: HttpRequest) -> HTTPResponse:
        session = await console.session(request)
        console.admin(session)
        within, rows = await asyncio.to_thread(metrics_for, request)
        await asyncio.to_thread(console.desk.audit, session.staff.id, "export", None,
                                f"metrics {within.first.isoformat()} to {within.last.isoformat()}")
        name = f"doula-metrics-{within.first.isoformat()}-{within.last.isoformat()}.csv"
        return response.text(to_csv(rows, within, console.language_names), content_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/api/audit")
    async def audit(request: HttpRequest) -> HTTPResponse:
        session = await console.session(request)
        console.admin(session)
        try:
            limit = max(1, min(1000, int(request.args.get("limit", "200"))))
        except ValueError as exc:
            raise ApiError(400, "invalid_limit") from exc
        entries = await asyncio.to_thread(console.staff.audit_trail, limit)
        names = await asyncio.to_thread(console.staff.names, [entry.staff_id for entry in entries])
        return _json({"entries": [
            {"id": e.id, "at": iso(e.at), "staff": names.get(e.staff_id) if e.staff_id is not None else None,
             "action": e.action, "request_id": e.request_id, "detail": e.detail} for e in entries]})

    @app.get("/api/staff")
    async def staff_list(request: HttpRequest) -> HTTPResponse:
        session = await console.session(request)
        console.admin(session)
        now = console.clock()
        users = await asyncio.to_thread(console.staff.list)
        return _json({"staff": [
            {"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
             "languages": [console.language(code) for code in u.languages], "active": u.active,
             "locked": u.locked(now), "created_at": iso(u.created_at)} for u in users]})

    _background_tasks(app, console, start_worker)
    return app


def _app_name() -> str:
    """Sanic 21.12 refuses two apps of one name in a process (tests make several): number them after the first."""
    name = "doula_console"
    number = 1
    while name in Sanic._app_registry:
        number += 1
        name = f"doula_console_{number}"
    return name


def _csv_arg(request: HttpRequest, name: str) -> list[str]:
    return [item.strip().lower() for value in request.args.getlist(name, []) for item in value.split(",")
            if item.strip()]


def _background_tasks(app: Sanic, console: Console, start_worker: bool) -> None:
    """Session housekeeping and (optionally) the handoff worker, as tasks of the server's event loop."""

    async def purge_sessions() -> None:
        while True:
            try:
                await asyncio.to_thread(console.sessions.purge_expired)
            except Exception:  # the database may be back on the next round
                logger.warning("could not purge expired console sessions")
            await asyncio.sleep(PURGE_SESSIONS_EVERY)

    async def run_worker() -> None:
        try:  # imported in a thread: the worker's channels import Rasa, which takes seconds
            module = await asyncio.to_thread(importlib.import_module, "bot.services.handoff.worker")
        except ImportError:
            logger.warning("the handoff worker is not available: escalations, deliveries and notifications stop")
            return
        worker = module.HandoffWorker.from_settings(console.settings)
        logger.info("handoff worker started")
        await worker.run_forever()

    @app.after_server_start
    async def started(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.tasks = [loop.create_task(purge_sessions())]
        if start_worker:
            app.ctx.tasks.append(loop.create_task(run_worker()))
        logger.info("doula console is running at %s", console.settings.console_url)

    @app.before_server_stop
    async def stopping(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
        for task in getattr(app.ctx, "tasks", []):
            task.cancel()
        for task in getattr(app.ctx, "tasks", []):
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
