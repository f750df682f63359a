"""The production profile against the real PostgreSQL and Redis on this machine (loopback): conversations are stored
in PostgreSQL and locked in Redis. Set DOULA_TEST_POSTGRES_URL / DOULA_TEST_REDIS_URL to point elsewhere."""

from __future__ import annotations

import json
import os
import secrets

import psycopg2
import pytest
import redis

from tests.e2e.conftest import SENDER_KEY, send_webchat, start_server

pytestmark = pytest.mark.e2e

POSTGRES_ADMIN_URL = os.environ.get("DOULA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("DOULA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="module")
def database():
    name = f"doula_e2e_{secrets.token_hex(4)}"
    try:
        admin = psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=5)
    except psycopg2.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} (production-profile tests need it): {error}")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


@pytest.fixture(scope="module")
def production(tmp_path_factory, database):
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (the production-profile tests need it): {error}")
    tmp = tmp_path_factory.mktemp("production")
    yield from start_server(tmp, {
        "DOULA_PROFILE": "production",
        "TRACKER_STORE_URL": database,
        "LOCK_STORE_URL": REDIS_URL,
        "DOULA_SENDER_KEY": SENDER_KEY,
    })


def test_a_conversation_is_stored_in_postgresql(production, database):
    browser_id = secrets.token_hex(10)
    replies = send_webchat(production, browser_id, "Dzień dobry")
    assert "automatyczny asystent" in replies[0]["text"]
    replies = send_webchat(production, browser_id, "3")
    assert "Karmienie dziecka" in "\n".join(r["text"] for r in replies)

    sender_id = production.webchat_sender_id(browser_id)
    assert production.tracker(sender_id)["slots"]["language"] == "pl"
    with psycopg2.connect(database) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT data FROM events WHERE sender_id = %s AND type_name = 'user'", (sender_id,))
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
