"""Who may do what in the console: the one place that says it, so the API and the page cannot disagree.

- interpreter: requests (queue, conversation, claim, reply, note, close, send again) in her/his languages only;
- midwife: every request;
- mvp_coordinator: no requests and no conversations at all (the project's coordinator sees feedback, not women's
  messages); only the Feedback page;
- admin: every request, plus metrics (and their CSV export), the audit log and the staff list.

The API checks these rules on every call (a 403 ``{"error": "forbidden"}``); the page only uses :func:`pages` to
decide which tabs to draw, which is convenience, not protection.
"""

from __future__ import annotations

from bot.console.staff import ADMIN, INTERPRETER, MIDWIFE, MVP_COORDINATOR, StaffUser
from bot.services.handoff.desk import Request

QUEUE, FEEDBACK, METRICS, AUDIT, STAFF = "queue", "feedback", "metrics", "audit", "staff"

_PAGES = {
    INTERPRETER: (QUEUE,),
    MIDWIFE: (QUEUE,),
    MVP_COORDINATOR: (FEEDBACK,),
    ADMIN: (QUEUE, METRICS, AUDIT, STAFF, FEEDBACK),
}


def pages(staff: StaffUser) -> tuple[str, ...]:
    """The console pages (tabs) this person may open, first one shown after login."""
    return _PAGES.get(staff.role, ())


def can_see_requests(staff: StaffUser) -> bool:
    """Whether this person may use the queue and conversations at all (before looking at a particular request)."""
    return staff.active and QUEUE in pages(staff)


def request_languages(staff: StaffUser) -> tuple[str, ...] | None:
    """The languages whose requests this person may see: None means all of them, () none."""
    if not can_see_requests(staff):
        return ()
    if staff.role == INTERPRETER:
        return staff.languages
    return None


def can_access_request(staff: StaffUser, request: Request) -> bool:
    """Whether this person may read and act on `request` (view, claim, reply, note, close, send again)."""
    languages = request_languages(staff)
    return languages is None or request.language in languages


def can_administer(staff: StaffUser) -> bool:
    """Metrics, the metrics CSV export, the audit log and the staff list: admins only."""
    return staff.active and staff.role == ADMIN


def can_see_feedback(staff: StaffUser) -> bool:
    return staff.active and FEEDBACK in pages(staff)


__all__ = ["ADMIN", "INTERPRETER", "MIDWIFE", "MVP_COORDINATOR", "pages", "can_see_requests", "request_languages",
           "can_access_request", "can_administer", "can_see_feedback"]
