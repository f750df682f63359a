from pathlib import Path

from bot.paths import ROOT
from bot.runtime import training


def test_fingerprint_changes_with_the_training_data(tmp_path: Path, monkeypatch):
    config = tmp_path / "config.yml"
    config.write_text("pipeline: []\n")
    before = training.fingerprint(config)
    config.write_text("pipeline: [{name: WhitespaceTokenizer}]\n")
    assert training.fingerprint(config) != before


def test_a_model_without_its_fingerprint_is_stale(tmp_path: Path):
    model = tmp_path / "doula.tar.gz"
    model.write_bytes(b"model")
    assert not training.is_current(model, ROOT / "config.yml")
    (tmp_path / "doula.tar.gz.fingerprint").write_text(training.fingerprint(ROOT / "config.yml"))
    assert training.is_current(model, ROOT / "config.yml")


def test_rasa_runs_without_telemetry(monkeypatch):
    monkeypatch.setenv("RASA_EXCEPTION_WRITE_KEY", "abc")
    env = training.rasa_env()
    assert env["RASA_TELEMETRY_ENABLED"] == "false" and "RASA_EXCEPTION_WRITE_KEY" not in env


def test_training_inputs_cover_domain_config_and_all_data():
    names = {p.relative_to(ROOT).as_posix() for p in training.training_inputs(ROOT / "config.yml")}
    assert {"config.yml", "domain.yml", "data/rules/topics.yml", "data/nlu/pl/topics/vbac.yml"} <= names


def test_training_inputs_cover_the_learned_red_flag_sets_and_the_trained_components_code():
    # A new safety case must retrain the model at `make run`, and an older pickled model must not outlive its code.
    names = {p.relative_to(ROOT).as_posix() for p in training.training_inputs(ROOT / "config.yml")}
    assert {"tests/safety/cases/en.yml", "eval/red_flags_dev3/so.yml", "eval/themes_dev/ur.yml",
            "bot/nlu/linear.py", "bot/safety/learned.py", "bot/safety/normalize.py"} <= names
    assert not any(name.startswith("eval/red_flags/") for name in names)  # the held-out set trains nothing
