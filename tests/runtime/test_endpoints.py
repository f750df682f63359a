import yaml

from bot.paths import ROOT
from bot.runtime import endpoints
from bot.settings import Settings


def test_committed_endpoints_file_is_what_the_defaults_give():
    committed = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    assert committed == endpoints.build(Settings.from_env({}))


def test_embedded_profile_uses_sqlite_and_in_memory_locks():
    built = endpoints.build(Settings.from_env({}))
    assert built["tracker_store"] == {"type": endpoints.SQL_TRACKER_STORE, "dialect": "sqlite", "db": "var/tracker.db"}
    assert built["lock_store"] == {"type": "in_memory"}
    assert built["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"


def test_production_profile_uses_postgresql_and_redis():
    settings = Settings.from_env({
        "DOULA_PROFILE": "production",
        "TRACKER_STORE_URL": "postgresql://doula:secret@db.internal:5433/rasa",
        "LOCK_STORE_URL": "redis://:pw@cache.internal:6380/2",
        "DOULA_SENDER_KEY": "k" * 40,
        "ACTION_SERVER_PORT": "6055",
    })
    built = endpoints.build(settings)
    assert built["tracker_store"] == {
        "type": endpoints.SQL_TRACKER_STORE, "dialect": "postgresql", "url": "db.internal", "port": 5433, "db": "rasa",
        "username": "doula", "password": "secret",
    }
    assert built["lock_store"] == {
        "type": "bot.storage.lock_store.AtomicRedisLockStore", "url": "cache.internal", "port": 6380, "db": 2,
        "password": "pw", "key_prefix": "doula",
    }
    assert built["action_endpoint"]["url"] == "http://127.0.0.1:6055/webhook"


def test_every_profile_counts_metrics_from_the_event_stream():
    assert endpoints.build(Settings.from_env({}))["event_broker"] == {"type": "bot.runtime.events.MetricsBroker"}
