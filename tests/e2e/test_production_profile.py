"""The production profile against the real PostgreSQL and Redis on this machine (loopback): `doula db upgrade`, then
two Rasa workers and two action server workers; conversations are stored in PostgreSQL and locked in Redis, /health
and /metrics answer. Set DOULA_TEST_POSTGRES_URL / DOULA_TEST_REDIS_URL to point elsewhere."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
import redis

from bot.paths import ROOT
from tests.e2e.conftest import SENDER_KEY, free_port, scrape_settled, scrape_until, send_webchat, start_server
from tests.postgres import postgres_url, throwaway_database  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e

REDIS_URL = os.environ.get("DOULA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WORKERS = 2


def doula(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env={**environment, **env},
                          capture_output=True, text=True, timeout=120)


def production_env(database: str) -> dict[str, str]:
    return {"DOULA_PROFILE": "production", "TRACKER_STORE_URL": database, "LOCK_STORE_URL": REDIS_URL,
            "DOULA_SENDER_KEY": SENDER_KEY}


@pytest.fixture(scope="module")
def database():
    with throwaway_database("doula_e2e", "production-profile tests") as url:
        yield url


@pytest.fixture(scope="module")
def production(tmp_path_factory, database):
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (the production-profile tests need it): {error}")
    tmp = tmp_path_factory.mktemp("production")
    upgraded = doula("db", "upgrade", env=production_env(database))
    assert upgraded.returncode == 0 and "create table handoff_requests" in upgraded.stdout, upgraded.stderr
    again = doula("db", "upgrade", env=production_env(database))
    assert again.returncode == 0 and "already up to date" in again.stdout
    yield from start_server(tmp, {**production_env(database), "DOULA_RASA_WORKERS": str(WORKERS),
                                  "DOULA_ACTION_WORKERS": str(WORKERS)})


def test_production_refuses_to_start_on_a_database_never_upgraded(postgres_url):  # noqa: F811
    env = {**production_env(postgres_url), "RASA_PORT": str(free_port()), "ACTION_SERVER_PORT": str(free_port()),
           "DOULA_CONSOLE_PORT": str(free_port()), "DOULA_OPS_PORT": str(free_port())}
    refused = doula("run", "--no-train", env=env)
    assert refused.returncode == 2 and "run `doula db upgrade`" in refused.stderr
    assert doula("db", "current", env=env).returncode == 1


def test_production_refuses_several_workers_without_redis(postgres_url):  # noqa: F811
    env = {**production_env(postgres_url), "LOCK_STORE_URL": "", "DOULA_RASA_WORKERS": "2"}
    refused = doula("run", "--no-train", env=env)
    assert refused.returncode == 2 and "LOCK_STORE_URL=redis://" in refused.stderr


def test_both_rasa_workers_answer_with_their_model_loaded(production):
    def ask(_: int) -> int:
        status, body = production.get("/webhooks/health/")
        assert status == 200 and json.loads(body)["model_loaded"] is True
        return json.loads(body)["worker"]

    # `doula run` is ready when one worker is; another may still be loading its model (it accepts nothing until
    # then). The kernel hands each connection to whichever worker accepts first: ask until both have answered.
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    with ThreadPoolExecutor(max_workers=8) as pool:
        while len(workers) < WORKERS and time.monotonic() < deadline:
            workers |= set(pool.map(ask, range(16)))
            time.sleep(1)
    assert len(workers) == WORKERS


def test_messages_at_once_for_one_conversation_are_all_kept(production):
    """Several workers, one conversation: the Redis lock makes them take turns, so no message is lost."""
    browser_id = secrets.token_hex(10)
    send_webchat(production, browser_id, "Dzień dobry")
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda text: send_webchat(production, browser_id, text), ["1", "2", "3", "4"]))
    assert all(replies)
    events = production.tracker(production.webchat_sender_id(browser_id))["events"]
    assert sorted(e["text"] for e in events if e["event"] == "user") == ["1", "2", "3", "4", "Dzień dobry"]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _sample(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_health_and_metrics_on_the_ops_port(production):
    status, body = _get(production.ops + "/health")
    report = json.loads(body)
    assert status == 200 and report["status"] == "ready", report
    assert set(report["components"]) == {"rasa", "action_server", "console", "database", "lock_store"}
    assert "postgres" not in body and "redis://" not in body

    before = scrape_settled(production.ops)
    browser_id = secrets.token_hex(10)
    send_webchat(production, browser_id, "Dzień dobry")
    send_webchat(production, browser_id, "Krwawię bardzo mocno")
    received = 'doula_messages_received_total{channel="webchat",language="pl"}'
    bleeding = 'doula_red_flags_total{category="bleeding"}'
    latency = "doula_message_seconds_count"

    def counted(text: str) -> bool:
        return (_sample(text, received) >= _sample(before, received) + 2
                and _sample(text, bleeding) > _sample(before, bleeding)
                and _sample(text, latency) >= _sample(before, latency) + 2)

    after = scrape_until(production.ops, counted)
    assert counted(after), after
    assert _sample(after, 'doula_process_up{process="rasa"}') == 1
    assert browser_id not in after and "Krwawi" not in after


def test_a_conversation_is_stored_in_postgresql(production, database):
    browser_id = secrets.token_hex(10)
    replies = send_webchat(production, browser_id, "Dzień dobry")
    assert "automatyczny asystent" in replies[0]["text"]
    replies = send_webchat(production, browser_id, "3")
    assert "Karmienie dziecka" in "\n".join(r["text"] for r in replies)

    sender_id = production.webchat_sender_id(browser_id)
    assert production.tracker(sender_id)["slots"]["language"] == "pl"
    with psycopg2.connect(database) as connection, connection.cursor() as cursor:
        # In the order stored (by id): with several workers, rows of one table sit in the order of no single connection.
        cursor.execute("SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id", (sender_id,))
        texts = [json.loads(row[0])["text"] for row in cursor.fetchall()]
        cursor.execute("SELECT count(*) FROM events WHERE sender_id LIKE %s", (f"%{browser_id}%",))
        leaked = cursor.fetchone()[0]
    assert texts == ["Dzień dobry", "3"] and leaked == 0


def _redis_calls(client: redis.Redis, command: str) -> int:
    return client.info("commandstats").get(f"cmdstat_{command}", {}).get("calls", 0)


def test_locks_go_through_redis_and_are_released(production):
    client = redis.Redis.from_url(REDIS_URL)
    sets_before, deletes_before = _redis_calls(client, "set"), _redis_calls(client, "del")
    send_webchat(production, secrets.token_hex(10), "hello")
    assert _redis_calls(client, "set") > sets_before and _redis_calls(client, "del") > deletes_before
    assert not list(client.scan_iter("doula*")), "no conversation lock is left behind"


def test_a_message_id_is_handled_once_across_two_processes_on_postgresql(database):
    """The Twilio retry guard on the production database: two engines stand for two Rasa processes."""
    from sqlalchemy import create_engine

    from bot.storage.database import engine_for
    from bot.storage.handled import first_time

    one, other = engine_for(database), create_engine(database)
    sid = "SM" + secrets.token_hex(16)
    assert first_time(one, "twilio", sid) is True
    assert first_time(other, "twilio", sid) is False
    one.dispose()
    other.dispose()


def test_a_handoff_on_postgresql_web_chat_gets_the_staff_reply(production, database):
    """The whole handoff on the production database: request, claim, reply pulled by the web chat, close, resume."""
    from bot.services.handoff.desk import HER, HandoffDesk
    from bot.settings import Settings

    desk = HandoffDesk.from_settings(Settings.from_env({
        "DOULA_PROFILE": "production", "TRACKER_STORE_URL": database, "LOCK_STORE_URL": REDIS_URL,
        "DOULA_SENDER_KEY": SENDER_KEY}))
    browser_id = secrets.token_hex(10)
    send_webchat(production, browser_id, "Potrzebuję tłumacza")
    request = desk.active_for(production.webchat_sender_id(browser_id))
    assert request and request.language == "pl" and request.channel == "webchat"
    assert send_webchat(production, browser_id, "halo?") != []  # "passed on", once
    desk.claim(request.id, 1)
    desk.reply(request.id, 1, "Dzień dobry, tu położna.")
    status, body = production.get(f"/webhooks/webchat/messages?sender={browser_id}")
    assert status == 200 and "Dzień dobry, tu położna." in "\n".join(m["text"] for m in json.loads(body))
    assert [m.text for m in desk.messages(request.id) if m.author == HER] == ["halo?"]
    desk.close(request.id, 1)
    with psycopg2.connect(database) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT status FROM handoff_requests WHERE id = %s", (request.id,))
        assert cursor.fetchone()[0] == "closed"
        cursor.execute("SELECT count(*) FROM handoff_messages WHERE convert_from(body, 'LATIN1') LIKE '%halo%'")
        assert cursor.fetchone()[0] == 0  # encrypted at rest
    again = "\n".join(r["text"] for r in send_webchat(production, browser_id, "Dzień dobry"))
    assert "O czym chcesz się dowiedzieć?" in again  # the bot's main menu again, not a relay
    assert desk.active_for(production.webchat_sender_id(browser_id)) is None
