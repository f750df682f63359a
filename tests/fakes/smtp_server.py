"""A loopback fake of an SMTP server, for the real smtplib client (SMTP_URL points here).

It speaks just enough ESMTP for a client that sends mail: EHLO/HELO, AUTH PLAIN and AUTH LOGIN, MAIL, RCPT, DATA,
RSET, NOOP and QUIT (no STARTTLS, no TLS). It records every accepted message (envelope sender, recipients and the
parsed e-mail) and can be told to require a login and how to answer the next DATA commands: ``"451"`` (a temporary
failure), ``"close"`` (drop the connection) or ``"hang"`` (no answer until the client times out).
"""

from __future__ import annotations

import base64
import email
import socketserver
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy


@dataclass(frozen=True)
class ReceivedMail:
    sender: str  # envelope MAIL FROM
    recipients: tuple[str, ...]  # envelope RCPT TO
    message: EmailMessage
    login: tuple[str, str] | None  # (user, password) the client authenticated with
    mechanism: str | None  # "PLAIN" or "LOGIN"


@dataclass
class FakeSmtp:
    server: socketserver.ThreadingTCPServer
    credentials: tuple[str, str] | None = None  # when set, MAIL needs a successful AUTH with these
    mechanisms: tuple[str, ...] = ("PLAIN", "LOGIN")  # advertised in EHLO, in this order
    script: list[str] = field(default_factory=list)  # how to answer the next DATA: "451", "close", "hang"
    received: list[ReceivedMail] = field(default_factory=list)
    auth_attempts: list[tuple[str, str, str]] = field(default_factory=list)  # (mechanism, user, password)
    hang_seconds: float = 5.0
    stopped: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def host(self) -> str:
        return self.server.server_address[0]

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, user: str = "", password: str = "") -> str:
        """An SMTP_URL for this server; pass `user` and `password` already percent-encoded."""
        login = f"{user}:{password}@" if user else ""
        return f"smtp://{login}{self.host}:{self.port}"

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.received) < count:
            time.sleep(0.02)
        with self.lock:
            return list(self.received)

    def stop(self) -> None:
        self.stopped.set()  # releases hanging sessions
        self.server.shutdown()
        self.server.server_close()


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _unb64(data: str) -> str:
    return base64.b64decode(data.strip(), validate=True).decode()


def _address(argument: str) -> str:
    """``FROM:<a@b> SIZE=10`` -> ``a@b``."""
    value = argument.partition(":")[2].strip()
    if value.startswith("<"):
        value = value[1:].partition(">")[0]
    return value.split()[0] if value.split() else ""


def start_fake_smtp(credentials: tuple[str, str] | None = None,
                    mechanisms: tuple[str, ...] = ("PLAIN", "LOGIN")) -> FakeSmtp:
    fake: FakeSmtp

    class Session(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")
            self.wfile.flush()

        def read_line(self) -> str | None:
            raw = self.rfile.readline(65536)
            return raw.decode("utf-8", "replace").rstrip("\r\n") if raw else None

        def handle(self) -> None:
            self.login: tuple[str, str] | None = None
            self.mechanism: str | None = None
            self.reset()
            self.reply("220 fake.smtp ESMTP ready")
            while (line := self.read_line()) is not None:
                verb, _, argument = line.partition(" ")
                verb = verb.upper()
                if verb == "QUIT":
                    self.reply("221 2.0.0 Bye")
                    return
                handler = getattr(self, f"do_{verb}", None)
                if handler is None:
                    self.reply("502 5.5.2 Command not recognised")
                elif handler(argument) is False:  # the session ends (a scripted "close")
                    return

        def reset(self) -> None:
            self.sender: str | None = None
            self.recipients: list[str] = []

        def do_EHLO(self, argument: str) -> None:  # noqa: N802 (SMTP verbs)
            self.reset()
            lines = ["fake.smtp greets you", "8BITMIME", "SIZE 10485760"]
            if fake.mechanisms:
                lines.append("AUTH " + " ".join(fake.mechanisms))
            for line in lines[:-1]:
                self.reply(f"250-{line}")
            self.reply(f"250 {lines[-1]}")

        def do_HELO(self, argument: str) -> None:  # noqa: N802
            self.reset()
            self.reply("250 fake.smtp")

        def do_NOOP(self, argument: str) -> None:  # noqa: N802
            self.reply("250 2.0.0 OK")

        def do_RSET(self, argument: str) -> None:  # noqa: N802
            self.reset()
            self.reply("250 2.0.0 OK")

        def do_AUTH(self, argument: str) -> bool | None:  # noqa: N802
            mechanism, _, initial = argument.partition(" ")
            mechanism = mechanism.upper()
            if mechanism not in fake.mechanisms:
                self.reply("504 5.5.4 Unrecognised authentication type")
                return None
            try:
                if mechanism == "PLAIN":  # base64("authzid\0user\0password"), in the command or after a 334
                    if not initial:
                        self.reply("334 ")
                        initial = self.read_line() or ""
                    _, user, password = _unb64(initial).split("\0")
                else:  # LOGIN: user and password each in answer to a 334 (the user may come with the command)
                    if not initial:
                        self.reply("334 " + _b64("Username:"))
                        initial = self.read_line() or ""
                    user = _unb64(initial)
                    self.reply("334 " + _b64("Password:"))
                    password = _unb64(self.read_line() or "")
            except ValueError:  # bad base64 or a PLAIN string without two NULs
                self.reply("501 5.5.2 Cannot decode the response")
                return None
            with fake.lock:
                fake.auth_attempts.append((mechanism, user, password))
            if fake.credentials is not None and (user, password) != fake.credentials:
                self.reply("535 5.7.8 Authentication credentials invalid")
                return None
            self.login, self.mechanism = (user, password), mechanism
            self.reply("235 2.7.0 Authentication successful")
            return None

        def do_MAIL(self, argument: str) -> None:  # noqa: N802
            if fake.credentials is not None and self.login is None:
                self.reply("530 5.7.0 Authentication required")
                return
            self.reset()
            self.sender = _address(argument)
            self.reply("250 2.1.0 OK")

        def do_RCPT(self, argument: str) -> None:  # noqa: N802
            if self.sender is None:
                self.reply("503 5.5.1 Need MAIL first")
                return
            self.recipients.append(_address(argument))
            self.reply("250 2.1.5 OK")

        def do_DATA(self, argument: str) -> bool | None:  # noqa: N802
            if self.sender is None or not self.recipients:
                self.reply("503 5.5.1 Need MAIL and RCPT first")
                return None
            with fake.lock:
                action = fake.script.pop(0) if fake.script else "ok"
            if action == "451":
                self.reply("451 4.3.0 Temporary failure, try again later")
                return None
            if action == "close":
                return False
            self.reply("354 End data with <CR><LF>.<CR><LF>")
            lines: list[bytes] = []
            while True:
                raw = self.rfile.readline(65536)
                if not raw:
                    return False
                if raw in (b".\r\n", b".\n"):
                    break
                lines.append(raw[1:] if raw.startswith(b"..") else raw)  # undo dot-stuffing
            if action == "hang":
                fake.stopped.wait(fake.hang_seconds)
                return False
            message = email.message_from_bytes(b"".join(lines), policy=default_policy)
            assert isinstance(message, EmailMessage)
            with fake.lock:
                fake.received.append(ReceivedMail(self.sender, tuple(self.recipients), message, self.login,
                                                  self.mechanism))
            self.reset()
            self.reply("250 2.0.0 OK: queued")
            return None

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    fake = FakeSmtp(Server(("127.0.0.1", 0), Session), credentials=credentials, mechanisms=mechanisms)
    # A short poll, so that stop() (server.shutdown) returns at once rather than after up to half a second.
    threading.Thread(target=fake.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return fake
