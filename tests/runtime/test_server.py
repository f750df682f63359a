from bot.runtime.server import action_server_command, rasa_command, urls
from bot.settings import Settings


def test_the_http_api_is_only_enabled_with_a_token(tmp_path):
    without = rasa_command(Settings.from_env({}), tmp_path / "endpoints.yml")
    assert "--enable-api" not in without
    with_token = rasa_command(Settings.from_env({"RASA_API_TOKEN": "s3cret"}), tmp_path / "endpoints.yml")
    assert with_token[with_token.index("--enable-api") + 1:with_token.index("--enable-api") + 3] == [
        "--auth-token", "s3cret"]


def test_ports_come_from_the_environment(tmp_path):
    settings = Settings.from_env({"RASA_PORT": "7005", "ACTION_SERVER_PORT": "7055"})
    assert "7005" in rasa_command(settings, tmp_path / "e.yml")
    assert "7055" in action_server_command(settings)
    assert urls(settings)["web chat"] == "http://localhost:7005/webhooks/webchat/"


def test_run_refuses_to_start_on_a_port_already_in_use(capsys):
    import socket

    from bot.runtime.server import serve

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = Settings.from_env({"RASA_PORT": str(port)})
        assert serve(settings, train_if_stale=False) == 2
    assert f"port {port} is already in use" in capsys.readouterr().err


PRODUCTION = {"DOULA_PROFILE": "production", "TRACKER_STORE_URL": "postgresql://postgres@127.0.0.1:5432/x",
              "LOCK_STORE_URL": "redis://127.0.0.1:6379/15", "DOULA_SENDER_KEY": "k" * 40}


def test_workers_reach_rasa_and_the_action_server_through_their_own_variables():
    from bot.runtime.server import child_env

    settings = Settings.from_env({**PRODUCTION, "DOULA_RASA_WORKERS": "3", "DOULA_ACTION_WORKERS": "2"})
    env = child_env(settings, "rasa")
    assert (env["SANIC_WORKERS"], env["ACTION_SERVER_SANIC_WORKERS"], env["DOULA_METRICS_ROLE"]) == ("3", "2", "rasa")
    assert env["SANIC_HOST"] == "127.0.0.1"


def test_worker_defaults_are_one_embedded_and_one_per_core_in_production():
    import os

    assert (Settings.from_env({}).rasa_workers, Settings.from_env({}).action_workers) == (1, 1)
    assert Settings.from_env(PRODUCTION).rasa_workers == (os.cpu_count() or 1)


def test_several_rasa_workers_need_the_redis_lock_store():
    import pytest

    from bot.settings import SettingsError

    with pytest.raises(SettingsError, match="DOULA_RASA_WORKERS > 1 needs LOCK_STORE_URL"):
        Settings.from_env({"DOULA_RASA_WORKERS": "2"})
    with_redis = Settings.from_env({"DOULA_RASA_WORKERS": "2", "LOCK_STORE_URL": "redis://127.0.0.1:6379/15"})
    assert with_redis.rasa_workers == 2


def test_an_embedded_database_is_upgraded_at_start(tmp_path):
    from sqlalchemy import create_engine

    from bot.runtime.server import check_database
    from bot.storage.migrations import status

    url = f"sqlite:///{tmp_path / 'doula.db'}"
    assert check_database(Settings.from_env({"DATABASE_URL": url})) is None
    assert status(create_engine(url)).current


def test_production_refuses_an_out_of_date_schema_and_says_what_to_run(postgres_url):
    from sqlalchemy import create_engine

    from bot.runtime.server import check_database
    from bot.storage.migrations import upgrade

    settings = Settings.from_env({**PRODUCTION, "TRACKER_STORE_URL": postgres_url})
    assert "run `doula db upgrade`" in check_database(settings)
    engine = create_engine(postgres_url)
    upgrade(engine)
    engine.dispose()
    assert check_database(settings) is None


def test_production_says_when_the_database_is_unreachable():
    from bot.runtime.server import check_database

    settings = Settings.from_env({**PRODUCTION, "TRACKER_STORE_URL": "postgresql://postgres@127.0.0.1:1/x"})
    assert check_database(settings) == "doula's database (DATABASE_URL) is not reachable: OperationalError"
