"""A loopback fake of Google Translate's mobile page (``GET /m?sl=..&tl=..&q=..``), as deep-translator's
GoogleTranslator reads it: the translation is the text of ``<div class="result-container">``.

Its "translation" is ``[<tl>] <q>`` reversed word by word, so tests can tell it from the input, unless ``known``
holds a real translation for ``(tl, q)`` (so that a Lithuanian question reaches the model as English). ``mode`` switches
what it does: ``ok``, ``hang`` (answers after ``HANG_SECONDS``), ``error`` (HTTP 500), ``garbage`` (a page with no
result), ``empty`` (an empty result).
"""

from __future__ import annotations

import html
import threading
import time
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.fakes.base import JsonHandler, serve

HANG_SECONDS = 5.0


def fake_translation(text: str, target: str) -> str:
    return f"[{target}] " + " ".join(reversed(text.split()))


class GoogleTranslateState:
    def __init__(self) -> None:
        self.mode = "ok"
        self.calls: list[dict[str, str]] = []
        self.known: dict[tuple[str, str], str] = {}
        self.lock = threading.Lock()


class FakeGoogleTranslate:
    """The running fake: ``url`` is what DOULA_TRANSLATOR_URL is set to."""

    def __init__(self) -> None:
        state = self.state = GoogleTranslateState()

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                params = {key: values[0] for key, values in parse_qs(parts.query).items()}
                with state.lock:
                    state.calls.append({"path": parts.path, **params})
                    mode = state.mode
                if parts.path != "/m":
                    return self.reply_html(404, "<html><body>not found</body></html>")
                if mode == "hang":
                    time.sleep(HANG_SECONDS)
                if mode == "error":
                    return self.reply_html(500, "<html><body>Server Error</body></html>")
                if mode == "garbage":
                    return self.reply_html(200, "<html><body><p>Something unexpected</p></body></html>")
                known = state.known.get((params.get("tl", ""), params.get("q", "")))
                result = "" if mode == "empty" else known or fake_translation(params.get("q", ""), params.get("tl", ""))
                self.reply_html(200, '<html><body><div class="result-container">'
                                     f"{html.escape(result)}</div></body></html>")

            def reply_html(self, status: int, page: str) -> None:
                data = page.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (the timeout test)
                    pass

        self.server: ThreadingHTTPServer = serve(Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/m"

    @property
    def mode(self) -> str:
        return self.state.mode

    @mode.setter
    def mode(self, value: str) -> None:
        self.state.mode = value

    @property
    def known(self) -> dict[tuple[str, str], str]:
        return self.state.known

    @property
    def calls(self) -> list[dict[str, str]]:
        return self.state.calls

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
