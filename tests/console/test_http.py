"""The console over HTTP, as staff and attackers would use it: a real `doula console` and httpx."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from bot.services.handoff.desk import HandoffDesk
from bot.storage.database import audit_log, feedback
from tests.console.conftest import ACCOUNTS, PASSWORD, ConsoleServer, new_sender

CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"


def audit_rows(console: ConsoleServer, action: str | None = None) -> list:
    query = select(audit_log).order_by(audit_log.c.id)
    if action:
        query = query.where(audit_log.c.action == action)
    with console.desk.engine.connect() as connection:
        return connection.execute(query).all()


# -- page, headers -------------------------------------------------------------------------------------------------
def test_page_static_files_and_security_headers(console: ConsoleServer) -> None:
    http = console.client()
    page = http.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "{{" not in page.text, "every placeholder of the page is filled from content/staff/console.yml"
    assert '<form id="login-form" method="post" action="/login"' in page.text
    assert "<script>" not in page.text and "style=" not in page.text, "no inline script or style (CSP)"
    for response in (page, http.get("/api/texts"), http.get("/api/me"), http.get("/nothing-here"),
                     http.get("/static/console.js")):
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert http.get("/api/me").headers["cache-control"] == "no-store"
    assert http.get("/nothing-here").json() == {"error": "not_found"}
    script = http.get("/static/console.js")
    assert script.headers["content-type"].startswith("text/javascript")
    for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script.text, f"the page renders text with textContent only, not {sink}"
    assert http.get("/static/console.css").headers["content-type"].startswith("text/css")
    assert http.get("/static/console.html").status_code == 404
    assert http.get("/static/..%2Fapp.py").status_code == 404
    texts = http.get("/api/texts").json()
    assert texts["reply.no_translator"] == "No translator configured"


def test_every_api_endpoint_needs_a_session(console: ConsoleServer) -> None:
    http = console.client()
    for path in ("/api/me", "/api/requests", "/api/requests/1", "/api/metrics", "/api/metrics.csv", "/api/audit",
                 "/api/staff", "/api/feedback", "/api/feedback/export?format=csv&from=2026-01&to=2026-03"):
        reply = http.get(path)
        assert (reply.status_code, reply.json()) == (401, {"error": "login_required"}), path
    for path in ("/api/requests/1/claim", "/api/requests/1/reply", "/api/requests/1/note", "/api/requests/1/close",
                 "/api/messages/1/retry", "/logout"):
        assert http.post(path, json={}, headers={"Origin": console.url}).status_code == 401, path


# -- login ---------------------------------------------------------------------------------------------------------
def test_login_sets_a_strict_httponly_cookie_and_is_audited(console: ConsoleServer) -> None:
    http = console.client()
    reply = http.post("/login", json={"username": "midwife", "password": PASSWORD}, headers={"Origin": console.url})
    assert reply.status_code == 200 and reply.json()["ok"] is True
    cookie = reply.headers["set-cookie"]
    assert cookie.startswith("doula_staff=")
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert attribute in cookie
    assert "Secure" not in cookie, "the test console is plain http; Secure is set for an https DOULA_CONSOLE_URL"
    me = http.get("/api/me").json()
    assert (me["username"], me["role"], me["pages"]) == ("midwife", "midwife", ["queue"])
    assert me["csrf_token"] == reply.json()["csrf_token"]
    assert audit_rows(console, "login")[-1].staff_id == console.account("midwife")


def test_bad_logins_are_refused_alike_and_never_log_the_password(console: ConsoleServer) -> None:
    http = console.client()
    wrong = http.post("/login", json={"username": "midwife", "password": "Wrong-Password-1"},
                      headers={"Origin": console.url})
    unknown = http.post("/login", json={"username": "no-such-user", "password": "Wrong-Password-2"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"error": "login_failed"}
    assert "set-cookie" not in wrong.headers
    failures = audit_rows(console, "login_failed")
    assert failures[-2].staff_id == console.account("midwife") and failures[-1].staff_id is None
    assert all("Wrong-Password" not in row.detail and "no-such-user" not in row.detail for row in audit_rows(console))
    assert http.post("/login", json={"username": "midwife"}).status_code == 400
    assert http.post("/login", content=b"{not json", headers={"Content-Type": "application/json"}).status_code == 400


def test_lockout_over_http(console: ConsoleServer) -> None:
    console.staff.add("locked_midwife", "Lou", "midwife", "", PASSWORD)
    http = console.client()
    for attempt in range(5):
        reply = http.post("/login", json={"username": "locked_midwife", "password": f"wrong password {attempt}"})
        assert reply.status_code == 401
    locked = http.post("/login", json={"username": "locked_midwife", "password": PASSWORD})
    assert (locked.status_code, locked.json()) == (401, {"error": "login_failed"}), "same answer: nothing revealed"
    user = console.staff.by_username("locked_midwife")
    assert user.locked(datetime.now(timezone.utc))
    console.staff.set_password("locked_midwife", "an administrator's reset")
    assert http.post("/login", json={"username": "locked_midwife", "password": "an administrator's reset"}
                     ).status_code == 200


def test_form_login(console: ConsoleServer) -> None:
    http = console.client()
    ok = http.post("/login", data={"username": "midwife", "password": PASSWORD}, headers={"Origin": console.url})
    assert (ok.status_code, ok.headers["location"]) == (303, "/")
    assert http.get("/api/me").status_code == 200
    refused = console.client().post("/login", data={"username": "midwife", "password": "wrong wrong wrong"})
    assert (refused.status_code, refused.headers["location"]) == (303, "/?login=failed")


def test_logout_ends_the_session(console: ConsoleServer) -> None:
    staff = console.login("midwife")
    token = staff.http.cookies["doula_staff"]
    assert staff.post("/logout").status_code == 200
    assert staff.get("/api/me").status_code == 401
    replay = console.client()
    replay.cookies.set("doula_staff", token)
    assert replay.get("/api/me").status_code == 401, "a copied cookie is worthless after logout"
    assert audit_rows(console, "logout")[-1].staff_id == console.account("midwife")


def test_disabled_users_session_stops_working(console: ConsoleServer) -> None:
    console.staff.add("leaving_midwife", "Leah", "midwife", "", PASSWORD)
    staff = console.login("leaving_midwife")
    assert staff.get("/api/requests").status_code == 200
    console.staff.disable("leaving_midwife")
    assert staff.get("/api/requests").status_code == 401
    assert console.client().post("/login", json={"username": "leaving_midwife", "password": PASSWORD}
                                 ).status_code == 401


# -- CSRF and origin -----------------------------------------------------------------------------------------------
def test_changes_need_the_csrf_token(console: ConsoleServer) -> None:
    request = console.open_request("so")
    staff = console.login("interp_so")
    without = staff.http.post(f"/api/requests/{request.id}/claim", json={}, headers={"Origin": console.url})
    wrong = staff.post(f"/api/requests/{request.id}/claim", headers={"X-CSRF-Token": "x" * 43})
    other = console.login("interp_so")  # another session's token is no good either
    crossed = staff.post(f"/api/requests/{request.id}/claim", headers={"X-CSRF-Token": other.csrf})
    for reply in (without, wrong, crossed):
        assert (reply.status_code, reply.json()) == (403, {"error": "csrf_failed"})
    assert staff.http.post("/logout", headers={"Origin": console.url}).status_code == 403
    assert console.desk.get(request.id).status == "waiting"


def test_changes_from_another_origin_are_refused(console: ConsoleServer) -> None:
    request = console.open_request("so")
    staff = console.login("interp_so")
    evil = staff.post(f"/api/requests/{request.id}/claim", headers={"Origin": "https://evil.example"})
    null = staff.post(f"/api/requests/{request.id}/claim", headers={"Origin": "null"})
    referer = staff.http.post(f"/api/requests/{request.id}/claim", json={},
                              headers={"X-CSRF-Token": staff.csrf, "Referer": "https://evil.example/page"})
    port = staff.post(f"/api/requests/{request.id}/claim", headers={"Origin": console.url.replace(":", "x", 1)})
    for reply in (evil, null, referer, port):
        assert (reply.status_code, reply.json()) == (403, {"error": "origin_mismatch"})
    assert console.desk.get(request.id).status == "waiting"
    login = console.client().post("/login", json={"username": "midwife", "password": PASSWORD},
                                  headers={"Origin": "https://evil.example"})
    assert login.status_code == 403
    # Our own page as Referer (no Origin) is fine, and so is a client that sends neither (with the token).
    ok = staff.http.post(f"/api/requests/{request.id}/claim", json={},
                         headers={"X-CSRF-Token": staff.csrf, "Referer": console.url + "/"})
    assert ok.status_code == 200


# -- access by role ------------------------------------------------------------------------------------------------
def endpoint_statuses(console: ConsoleServer, username: str, somali: int, polish: int) -> dict[str, int]:
    staff = console.login(username)
    gets = {
        "queue": "/api/requests", "view so": f"/api/requests/{somali}", "view pl": f"/api/requests/{polish}",
        "view missing": "/api/requests/999999", "metrics": "/api/metrics", "metrics.csv": "/api/metrics.csv",
        "audit": "/api/audit", "staff": "/api/staff", "feedback": "/api/feedback", "me": "/api/me",
        "feedback.csv": "/api/feedback/export?format=csv&from=2026-01&to=2026-03",
    }
    statuses = {name: staff.get(path).status_code for name, path in gets.items()}
    # Changes on the Polish request only: what each role may not do must be refused before anything happens.
    posts = {
        "claim pl": (f"/api/requests/{polish}/claim", {"take_over": True}),
        "note pl": (f"/api/requests/{polish}/note", {"text": f"note by {username}"}),
        "reply pl": (f"/api/requests/{polish}/reply", {"text": "hello"}),
        "retry pl": ("/api/messages/1/retry", {"request_id": polish}),
    }
    for name, (path, body) in posts.items():
        statuses[name] = staff.post(path, body).status_code
    return statuses


def test_every_endpoint_for_every_role(console: ConsoleServer) -> None:
    somali, polish = console.open_request("so"), console.open_request("pl")
    forbidden_admin = {"metrics": 403, "metrics.csv": 403, "audit": 403, "staff": 403}
    no_feedback = {"feedback": 403, "feedback.csv": 403}
    expected = {
        # interpreter for Somali: Somali only; the Polish request is forbidden for every action
        "interp_so": {"queue": 200, "view so": 200, "view pl": 403, "view missing": 404, **forbidden_admin,
                      **no_feedback, "me": 200, "claim pl": 403, "note pl": 403, "reply pl": 403, "retry pl": 403},
        "interp_pl": {"queue": 200, "view so": 403, "view pl": 200, "view missing": 404, **forbidden_admin,
                      **no_feedback, "me": 200, "claim pl": 200, "note pl": 200, "reply pl": 200, "retry pl": 404},
        "midwife": {"queue": 200, "view so": 200, "view pl": 200, "view missing": 404, **forbidden_admin,
                    **no_feedback, "me": 200, "claim pl": 200, "note pl": 200, "reply pl": 200, "retry pl": 404},
        # the MVP coordinator sees no request or conversation at all, not even whether one exists
        "coordinator": {"queue": 403, "view so": 403, "view pl": 403, "view missing": 403, **forbidden_admin,
                        "feedback": 200, "feedback.csv": 200, "me": 200, "claim pl": 403, "note pl": 403,
                        "reply pl": 403, "retry pl": 403},
        "admin": {"queue": 200, "view so": 200, "view pl": 200, "view missing": 404, "metrics": 200,
                  "metrics.csv": 200, "audit": 200, "staff": 200, "feedback": 200, "feedback.csv": 200, "me": 200,
                  "claim pl": 200, "note pl": 200, "reply pl": 200, "retry pl": 404},
    }
    assert set(expected) == set(ACCOUNTS)
    for username, statuses in expected.items():
        assert endpoint_statuses(console, username, somali.id, polish.id) == statuses, username
    forbidden = console.login("coordinator").get(f"/api/requests/{somali.id}")
    assert forbidden.json() == {"error": "forbidden"}
    notes = [m.text for m in console.desk.messages(polish.id) if m.author == "note"]
    assert notes == ["note by interp_pl", "note by midwife", "note by admin"], "refused notes were not written"
    assert console.desk.messages(somali.id) == []


def test_queue_is_filtered_by_access_status_and_language(console: ConsoleServer) -> None:
    somali, polish, arabic = console.open_request("so"), console.open_request("pl"), console.open_request("ar")
    interpreter = console.login("interp_so")
    ids = {item["id"] for item in interpreter.get("/api/requests").json()["requests"]}
    assert somali.id in ids and not {polish.id, arabic.id} & ids
    assert interpreter.get("/api/requests?language=pl").json() == {"requests": []}, "no way round the languages"
    midwife = console.login("midwife")
    assert {somali.id, polish.id, arabic.id} <= {i["id"] for i in midwife.get("/api/requests").json()["requests"]}
    only_polish = midwife.get("/api/requests?language=pl").json()["requests"]
    assert {item["language"]["code"] for item in only_polish} == {"pl"}
    assert midwife.get("/api/requests?status=bogus").status_code == 400
    midwife.post(f"/api/requests/{polish.id}/claim")
    waiting = {i["id"] for i in midwife.get("/api/requests?status=waiting&language=pl,ar").json()["requests"]}
    claimed = {i["id"] for i in midwife.get("/api/requests?status=claimed&language=pl").json()["requests"]}
    assert arabic.id in waiting and polish.id not in waiting and polish.id in claimed


def test_queue_items(console: ConsoleServer) -> None:
    long_ago = datetime.now(timezone.utc) - timedelta(hours=3)
    late_desk = HandoffDesk.from_settings(console.settings, clock=lambda: long_ago)
    overdue = console.open_request("so", channel="telegram", reason="red_flag:bleeding",
                                   summary="topic: bleeding", desk=late_desk)
    fresh = console.open_request("so")
    console.desk.record_from_her(fresh.id, "dhiig baa iga imanaya", urgent=True)
    midwife = console.login("midwife")
    midwife.post(f"/api/requests/{fresh.id}/claim")
    items = {item["id"]: item for item in console.login("interp_so").get("/api/requests").json()["requests"]}
    late, urgent = items[overdue.id], items[fresh.id]
    assert set(late) >= {"id", "language", "channel", "reason", "summary", "status", "created_at", "due_at",
                         "claimed_at", "overdue", "urgent", "claimed_by"}
    assert late["language"] == {"code": "so", "name": "Somali"}
    assert late["channel"] == {"code": "telegram", "name": "Telegram"}
    assert late["reason"] == {"code": "red_flag:bleeding", "text": "a red-flag topic came up (bleeding)"}
    assert (late["status"], late["overdue"], late["urgent"], late["claimed_by"]) == ("waiting", True, False, None)
    assert datetime.fromisoformat(late["created_at"]) == long_ago
    assert (urgent["status"], urgent["overdue"], urgent["urgent"]) == ("claimed", False, True)
    assert urgent["claimed_by"] == "Mary Midwife" and urgent["claimed_at"]
    assert list(items).index(overdue.id) < list(items).index(fresh.id), "the most overdue first"


# -- the conversation ----------------------------------------------------------------------------------------------
def test_claim_reply_note_close_flow(console: ConsoleServer) -> None:
    request = console.open_request("so", channel="telegram")
    console.desk.record_from_her(request.id, "Waxaan u baahanahay turjubaan")
    console.desk.record_from_her(request.id, "[media] ")
    staff = console.login("interp_so")
    staff_id = console.account("interp_so")

    view = staff.get(f"/api/requests/{request.id}").json()
    assert view["request"]["status"] == "waiting"
    assert [(m["author"], m["text"], m["media"]) for m in view["messages"]] == [
        ("her", "Waxaan u baahanahay turjubaan", False), ("her", "", True)]
    assert audit_rows(console, "view")[-1].request_id == request.id

    claimed = staff.post(f"/api/requests/{request.id}/claim", {"take_over": False})
    assert claimed.status_code == 200 and claimed.json()["request"]["claimed_by_me"] is True
    assert (console.desk.get(request.id).status, console.desk.get(request.id).claimed_by) == ("claimed", staff_id)

    reply = staff.post(f"/api/requests/{request.id}/reply", {"text": "Haa, waan ku caawin karaa.", "translate": False})
    assert reply.status_code == 200
    note = staff.post(f"/api/requests/{request.id}/note", {"text": "She prefers a female interpreter."})
    assert note.status_code == 200
    messages = {m["author"]: m for m in note.json()["messages"]}
    assert messages["staff"]["text"].endswith("Haa, waan ku caawin karaa.")
    assert (messages["staff"]["staff"], messages["staff"]["delivery"]) == ("Amina (Somali)", "pending")
    assert messages["note"]["delivery"] is None and messages["note"]["staff"] == "Amina (Somali)"
    assert messages["bot"]["delivery"] == "pending", "she is told someone joined"

    closed = staff.post(f"/api/requests/{request.id}/close")
    assert closed.status_code == 200 and closed.json()["request"]["status"] == "closed"
    stored = console.desk.get(request.id)
    assert (stored.status, stored.closed_by) == ("closed", staff_id) and stored.first_reply_at is not None
    in_desk = [(m.author, m.text) for m in console.desk.messages(request.id)]
    assert ("note", "She prefers a female interpreter.") in in_desk
    assert any(a == "staff" and t.endswith("Haa, waan ku caawin karaa.") for a, t in in_desk)
    actions = {(row.action, row.staff_id) for row in audit_rows(console) if row.request_id == request.id}
    assert {("view", staff_id), ("claim", staff_id), ("reply", staff_id), ("note", staff_id),
            ("close", staff_id)} <= actions
    assert all("Haa" not in row.detail and "female" not in row.detail for row in audit_rows(console))

    again = staff.post(f"/api/requests/{request.id}/reply", {"text": "one more thing"})
    assert again.status_code == 409
    assert again.json() == {"error": "not_allowed", "message": "claim the request before replying"}
    assert staff.post(f"/api/requests/{request.id}/close").json()["error"] == "not_allowed"


def test_take_over(console: ConsoleServer) -> None:
    request = console.open_request("so")
    console.login("midwife").post(f"/api/requests/{request.id}/claim")
    interpreter = console.login("interp_so")
    refused = interpreter.post(f"/api/requests/{request.id}/claim", {"take_over": False})
    assert refused.status_code == 409 and "colleague" in refused.json()["message"]
    assert interpreter.post(f"/api/requests/{request.id}/claim", {"take_over": "yes"}).status_code == 400
    taken = interpreter.post(f"/api/requests/{request.id}/claim", {"take_over": True})
    assert taken.status_code == 200 and taken.json()["request"]["claimed_by"] == "Amina (Somali)"
    assert console.desk.get(request.id).claimed_by == console.account("interp_so")
    assert audit_rows(console, "take_over")[-1].request_id == request.id


def test_reply_and_note_rules(console: ConsoleServer) -> None:
    request = console.open_request("so")
    staff = console.login("interp_so")
    before_claim = staff.post(f"/api/requests/{request.id}/reply", {"text": "hello"})
    assert before_claim.status_code == 409
    staff.post(f"/api/requests/{request.id}/claim")
    url = f"/api/requests/{request.id}"
    cases = [
        ({"text": "x" * 2001}, "text_too_long"), ({"text": " \n\t "}, "empty_text"), ({}, "invalid_text"),
        ({"text": 5}, "invalid_text"), ({"text": "hi", "translate": True}, "translator_not_configured"),
        ({"text": "hi", "translate": "no"}, "invalid_translate"),
    ]
    for body, code in cases:
        reply = staff.post(url + "/reply", body)
        assert (reply.status_code, reply.json()["error"]) == (400, code), body
    assert staff.post(url + "/note", {"text": "y" * 2001}).json()["error"] == "text_too_long"
    bad_json = staff.http.post(url + "/note", content=b"[1, 2", headers={"X-CSRF-Token": staff.csrf,
                                                                         "Content-Type": "application/json"})
    assert (bad_json.status_code, bad_json.json()) == (400, {"error": "invalid_json"})
    assert staff.post(url + "/reply", {"text": "x" * 2000}).status_code == 200, "2000 characters are allowed"
    sent = staff.post(url + "/note", {"text": "line\u0000one\u0007\r\nline\ttwo\u200f"})
    assert sent.status_code == 200
    notes = [m.text for m in console.desk.messages(request.id) if m.author == "note"]
    assert notes == ["lineone\nline two\u200f"], "control characters go; line breaks and direction marks stay"


def test_send_again(console: ConsoleServer) -> None:
    request = console.open_request("so", channel="twilio_sms")
    other = console.open_request("so")
    staff = console.login("interp_so")
    staff.post(f"/api/requests/{request.id}/claim")
    conversation = staff.post(f"/api/requests/{request.id}/reply", {"text": "Haa"}).json()
    message = next(m for m in conversation["messages"] if m["author"] == "staff")
    assert message["can_retry"] is False
    retry = f"/api/messages/{message['id']}/retry"
    assert staff.post(retry, {"request_id": request.id}).json()["error"] == "not_allowed", "pending: nothing to retry"
    console.desk.mark_delivery(message["id"], "held")  # e.g. outside WhatsApp's 24-hour window
    shown = staff.get(f"/api/requests/{request.id}").json()["messages"]
    assert next(m for m in shown if m["id"] == message["id"])["can_retry"] is True
    assert staff.post(retry, {"request_id": other.id}).status_code == 404, "the message must belong to the request"
    assert staff.post(retry, {}).json()["error"] == "invalid_request_id"
    again = staff.post(retry, {"request_id": request.id})
    assert again.status_code == 200
    assert next(m for m in again.json()["messages"] if m["id"] == message["id"])["delivery"] == "pending"
    assert audit_rows(console, "retry_delivery")[-1].request_id == request.id


def test_viewing_is_audited_once_per_visit_not_per_refresh(console: ConsoleServer) -> None:
    request = console.open_request("so")
    staff = console.login("interp_so")
    for _ in range(3):
        assert staff.get(f"/api/requests/{request.id}", headers={"X-Doula-Poll": "1"}).status_code == 200
    views = [row for row in audit_rows(console, "view") if row.request_id == request.id]
    assert len(views) == 1


# -- administration ------------------------------------------------------------------------------------------------
def test_metrics_json_and_csv(console: ConsoleServer) -> None:
    request = console.open_request("ti")
    console.login("midwife").post(f"/api/requests/{request.id}/claim")
    admin = console.login("admin")
    today = datetime.now(timezone.utc).date()
    period = f"from={(today - timedelta(days=1)).isoformat()}&to={(today + timedelta(days=1)).isoformat()}"
    metrics = admin.get(f"/api/metrics?{period}").json()
    rows = {row["language"]: row for row in metrics["rows"]}
    assert rows["ti"]["requests"] >= 1 and rows["ti"]["claimed"] >= 1 and rows["ti"]["language_name"] == "Tigrinya"
    assert rows["all"]["requests"] >= rows["ti"]["requests"]
    assert isinstance(metrics["failed_notifications"], int)
    csv = admin.get(f"/api/metrics.csv?{period}")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.headers["content-disposition"].startswith("attachment; filename=\"doula-metrics-")
    assert csv.text.splitlines()[0].startswith("period_from,period_to,language,language_name,requests,claimed")
    assert audit_rows(console, "export")[-1].staff_id == console.account("admin")
    assert admin.get("/api/metrics?from=2026-13-01").json() == {"error": "invalid_period"}
    assert admin.get("/api/metrics").status_code == 200, "the default period is the last 30 days"


def test_audit_and_staff_lists(console: ConsoleServer) -> None:
    admin = console.login("admin")
    entries = admin.get("/api/audit?limit=5").json()["entries"]
    assert len(entries) == 5 and entries[0]["action"] == "login" and entries[0]["staff"] == "Ada Admin"
    assert admin.get("/api/audit?limit=lots").status_code == 400
    staff = admin.get("/api/staff").json()["staff"]
    by_name = {user["username"]: user for user in staff}
    assert by_name["interp_so"]["languages"] == [{"code": "so", "name": "Somali"}]
    assert by_name["coordinator"]["role"] == "mvp_coordinator"
    assert all("password" not in key for user in staff for key in user)


def test_feedback_downloads_for_the_mvp_coordinator(console: ConsoleServer) -> None:
    words = "The midwife [NAME] listened <b>to me</b>"
    rows = [{"month": "2025-06", "source": "bot", "language": "pl", "site": "Riverside", "stage": "birth",
             "rating": "good", "went_well": words, "themes": '[{"theme": "communication", "sentiment": "positive"}]',
             "consent_mvp": n < 6} for n in range(8)]
    with console.desk.engine.begin() as connection:
        connection.execute(insert(feedback), rows)
    coordinator = console.login("coordinator")
    info = coordinator.get("/api/feedback").json()
    assert info["available"] is True and "Riverside" in info["sites"] and info["min_cell"] == 5
    query = "from=2025-06&to=2025-06&site=Riverside"
    csv_file = coordinator.get(f"/api/feedback/export?format=csv&{query}")
    assert csv_file.status_code == 200 and csv_file.headers["content-type"].startswith("text/csv")
    assert csv_file.headers["content-disposition"] == \
        'attachment; filename="doula-feedback-2025-06-to-2025-06-riverside.csv"'
    assert csv_file.content.decode("utf-8-sig").count(words) == 6, "only what she agreed to share with the MVP"
    xlsx = coordinator.get(f"/api/feedback/export?format=xlsx&{query}")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats") and xlsx.content[:2] == b"PK"
    report = console.login("admin").get(f"/api/feedback/export?format=html&{query}")
    assert report.status_code == 200 and report.headers["content-disposition"].startswith("attachment;")
    assert "<svg" in report.text and "&lt;b&gt;to me&lt;/b&gt;" in report.text and "<b>" not in report.text
    exports = len(audit_rows(console, "feedback_export"))
    audited = audit_rows(console, "feedback_export")[-3:]
    assert [row.detail for row in audited] == [f"{fmt} 2025-06 to 2025-06 site Riverside: 6 shared, 2 not shared"
                                               for fmt in ("csv", "xlsx", "html")]
    assert audited[0].staff_id == console.account("coordinator") and audited[2].staff_id == console.account("admin")
    assert coordinator.get("/api/feedback/export?format=pdf&from=2025-06&to=2025-06").json() == \
        {"error": "invalid_format"}
    assert coordinator.get("/api/feedback/export?format=csv&from=2025-07&to=2025-06").json() == \
        {"error": "invalid_months"}
    assert coordinator.get("/api/feedback/export?format=csv").status_code == 400
    assert len(audit_rows(console, "feedback_export")) == exports, "refused downloads are not exports"


def test_me_says_what_the_page_may_show(console: ConsoleServer) -> None:
    me = {username: console.login(username).get("/api/me").json() for username in ACCOUNTS}
    assert [language["code"] for language in me["interp_so"]["filter_languages"]] == ["so"]
    assert {"so", "pl", "ar", "ur"} <= {language["code"] for language in me["midwife"]["filter_languages"]}
    assert {username: m["pages"] for username, m in me.items()} == {
        "interp_so": ["queue"], "interp_pl": ["queue"], "midwife": ["queue"], "coordinator": ["feedback"],
        "admin": ["queue", "metrics", "audit", "staff", "feedback"]}
    assert me["admin"]["translator"] is False and me["admin"]["max_text"] == 2000
    assert me["admin"]["timezone"] == "Europe/London"


def test_sender_ids_and_her_details_are_not_exposed(console: ConsoleServer) -> None:
    sender = new_sender()
    request, _ = console.desk.open(sender, "webchat", "so", "asked_for_person", "")
    staff = console.login("interp_so")
    assert sender not in staff.get("/api/requests").text
    assert sender not in staff.get(f"/api/requests/{request.id}").text
