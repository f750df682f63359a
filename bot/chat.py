"""`doula chat`: a conversation in the terminal, through the same web chat endpoint a browser uses.

It uses a running doula if one answers on RASA_PORT, otherwise starts one in the background for the session.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
import urllib.request

from bot.paths import ROOT, VAR_DIR
from bot.runtime.server import STARTUP_TIMEOUT_S, is_up
from bot.settings import Settings


def _post(url: str, sender: str, text: str) -> list[dict]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as reply:
        return json.loads(reply.read())


def chat(settings: Settings) -> int:
    base = f"http://127.0.0.1:{settings.rasa_port}/webhooks/webchat/"
    server = None
    if not is_up(base):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        log = (VAR_DIR / "chat-server.log").open("wb")
        print("starting doula in the background (log: var/chat-server.log) ...", flush=True)
        server = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=ROOT, stdout=log, stderr=log)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S + 300  # may train first
        while not is_up(base):
            if server.poll() is not None or time.monotonic() > deadline:
                print("doula did not start: see var/chat-server.log", file=sys.stderr)
                return 1
            time.sleep(1)
    sender = secrets.token_hex(16)
    print("Type a message (Ctrl-D to leave).\n")
    try:
        while True:
            try:
                text = input("you> ")
            except EOFError:
                print()
                return 0
            for message in _post(base + "webhook", sender, text):
                print("bot> " + message["text"].replace("\n", "\n     ") + "\n")
    except KeyboardInterrupt:
        print()
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
