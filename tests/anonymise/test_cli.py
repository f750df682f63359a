"""`doula anonymise` (lines and JSON lines on stdin) and `doula eval anonymise`."""

import io
import json

from bot.cli import main


def run(monkeypatch, argv: list[str], stdin: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def test_lines_are_redacted_one_by_one_and_empty_lines_pass(monkeypatch, capsys):
    stdin = "My midwife Sarah was lovely\n\ncall me on 07700 900123\n"
    assert run(monkeypatch, ["anonymise"], stdin) == 0
    assert capsys.readouterr().out == "My midwife [NAME] was lovely\n\ncall me on [PHONE]\n"


def test_jsonl_keeps_the_other_fields_and_drops_her_words(monkeypatch, capsys):
    stdin = json.dumps({"id": 7, "language": "pl", "text": "Położna Ania, tel. 601 234 567"}, ensure_ascii=False)
    assert run(monkeypatch, ["anonymise", "--jsonl"], stdin + "\n") == 0
    record = json.loads(capsys.readouterr().out)
    assert record == {"id": 7, "language": "pl", "redacted": "Położna [NAME], tel. [PHONE]",
                      "entities": [{"type": "PERSON", "start": 8, "end": 12},
                                   {"type": "PHONE", "start": 19, "end": 30}]}


def test_a_malformed_line_is_reported_by_number_and_the_rest_still_processed(monkeypatch, capsys):
    lines = ['{"text": "Dr Khan was kind"}', '{"text": "Sarah Jones 07700 900123"', "", '["not", "an", "object"]',
             '{"text": "thanks to Fatima"}']
    assert run(monkeypatch, ["anonymise", "--jsonl"], "\n".join(lines) + "\n") == 1
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    assert [json.loads(line)["redacted"] for line in out if line] == ["Dr [NAME] was kind", "thanks to [NAME]"]
    assert out[1] == ""  # the empty line passes through
    assert "line 2: not valid JSON" in captured.err
    assert "line 4: not a JSON object" in captured.err
    assert "2 line(s) could not be read" in captured.err
    assert "Sarah" not in captured.err and "07700" not in captured.err  # never her words


def test_the_language_hint_is_accepted(monkeypatch, capsys):
    assert run(monkeypatch, ["anonymise", "--language", "ar"], "القابلة فاطمة\n") == 0
    assert capsys.readouterr().out == "القابلة [NAME]\n"


def test_eval_prints_a_table_for_each_type_and_both_detectors(monkeypatch, capsys):
    assert run(monkeypatch, ["eval", "anonymise", "--languages", "en", "pl"], "") == 0
    out = capsys.readouterr().out
    assert "doula" in out and "Presidio predefined" in out
    for row in ("NHS_NUMBER", "PERSON", "  en", "  pl", "µs/message"):
        assert row in out
    assert "targets" in out
