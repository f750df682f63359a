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
