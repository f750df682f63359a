"""The `doula` command. `doula --help` lists the subcommands; the Makefile targets call these."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__
from bot.paths import ROOT
from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from bot.console.staff import StaffDirectory

# Before anything imports Rasa: its telemetry and Sentry reporting try the network.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _settings(args: argparse.Namespace) -> Settings:
    if getattr(args, "profile", None):
        os.environ["DOULA_PROFILE"] = args.profile
    return Settings.from_env()


def cmd_run(args: argparse.Namespace) -> int:
    from bot.runtime.server import serve

    return serve(_settings(args), train_if_stale=not args.no_train)


def _database(args: argparse.Namespace):  # noqa: ANN202 (a SQLAlchemy Engine, imported lazily)
    """doula's own database (DATABASE_URL), never altered on opening: `doula db` says or does what is needed."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from bot.storage.database import sqlite_url

    url = _settings(args).database_url
    print(f"database: {make_url(url).render_as_string(hide_password=True)}")
    return create_engine(sqlite_url(url), future=True)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from bot.storage.migrations import MigrationError, upgrade

    engine = _database(args)
    try:
        done = upgrade(engine)
    except (MigrationError, OperationalError) as exc:
        print(f"doula: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    for step in done:
        print(f"  {step}")
    print(f"upgraded: {len(done)} step(s)" if done else "already up to date: nothing to do")
    return 0


def cmd_db_current(args: argparse.Namespace) -> int:
    from bot.storage.migrations import status

    state = status(_database(args))
    print(f"migration: {state.version:04d}" if state.version else "migration: none (never upgraded)")
    if state.current:
        print("up to date")
        return 0
    print("pending (`doula db upgrade` applies them):")
    for step in state.pending():
        print(f"  {step}")
    return 1


def cmd_train(args: argparse.Namespace) -> int:
    from bot.runtime.training import train

    settings = _settings(args)
    train(settings.model_path, Path(args.config).resolve() if args.config else None, force=args.force)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.chat import chat

    return chat(_settings(args))


def cmd_validate(args: argparse.Namespace) -> int:
    from bot.runtime.training import rasa_env

    command = [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings",
               "--domain", "domain.yml", "--data", "data", "--config", "config.yml"]
    return subprocess.run(command, cwd=ROOT, env=rasa_env()).returncode


def cmd_content_check(args: argparse.Namespace) -> int:
    from bot.content.check import run_checks

    problems = run_checks()
    for problem in problems:
        print(f"  - {problem}")
    from bot.content.catalog import read_catalog

    catalog = read_catalog()
    summary = f"{len(catalog.topics)} topics x {len(catalog.curated_languages)} languages"
    print(f"content check: {'FAILED' if problems else 'ok'} ({summary}, {len(problems)} problems)")
    return 1 if problems else 0


def cmd_content_export(args: argparse.Namespace) -> int:
    from bot.content.spreadsheet import export_workbook

    counts = export_workbook(Path(args.output))
    print(f"wrote {args.output}: " + ", ".join(f"{n} rows in {sheet!r}" for sheet, n in counts.items()))
    return 0


def cmd_content_import(args: argparse.Namespace) -> int:
    from bot.content.spreadsheet import ImportRefused, import_workbook

    try:
        result = import_workbook(Path(args.file))
    except ImportRefused as refused:
        for problem in refused.problems:
            print(f"  - {problem}")
        print(f"content import: REFUSED, nothing was changed ({len(refused.problems)} problems)")
        return 1
    for warning in result.warnings:
        print(f"  ! {warning}")
    if not result.changed_files:
        print("content import: no changes")
    else:
        print(f"content import: {result.changed_values} values changed in {len(result.changed_files)} files:")
        for name in result.changed_files:
            print(f"  {name}")
    return 0


def cmd_eval_nlu(args: argparse.Namespace) -> int:
    """Topic accuracy per language by k-fold cross-validation of the training data (a benchmark: trains k models)."""
    from bot.nlu.evaluation import TARGET, Raw, cross_validate, table

    raw = Raw()
    scores = cross_validate(k=args.folds, languages=args.languages, raw=raw)
    print(table(scores))
    print(raw.sweep())
    worst = min(s.accuracy(topics_only=True) for s in scores.values())
    return 1 if args.strict and worst < TARGET else 0


def cmd_eval_language(args: argparse.Namespace) -> int:
    """Language detection accuracy per language on eval/language, the bot's detector beside lingua alone."""
    from bot.content.catalog import load_catalog
    from bot.language import evaluation
    from bot.nlu.language import language_detector

    directory = Path(args.path) if args.path else evaluation.SETS[args.set]
    samples = evaluation.load_samples(directory, args.languages)
    catalog = load_catalog()
    detector = language_detector(catalog)

    def doula(text: str) -> str | None:
        found = detector.detect(text)
        return found.language if found else None

    results = {"doula": evaluation.evaluate(samples, doula),
               "lingua (all)": evaluation.evaluate(samples, evaluation.lingua_baseline())}
    print(evaluation.table(results, tuple(catalog.languages)))
    if args.failures:
        for language, tally in sorted(results["doula"][0].items()):
            for text, answer in tally.misses:
                print(f"  {language} -> {answer}: {text}")
    return 1 if args.strict and evaluation.overall(results["doula"][0]) < evaluation.TARGET else 0


def cmd_eval_red_flags(args: argparse.Namespace) -> int:
    """Recall and false alarms of red-flag detection, per language and category, for each detector side by side."""
    from bot.safety import evaluation
    from bot.safety.catalog import load_safety

    directories = {"eval": evaluation.EVAL_DIR, "dev": evaluation.DEV_DIR, "dev2": evaluation.DEV2_DIR,
                   "dev3": evaluation.DEV3_DIR, "dev4": evaluation.DEV4_DIR,
                   "cases": evaluation.CASES_DIR}
    directory = Path(args.path) if args.path else directories[args.set]
    sets = evaluation.load_sets(directory, args.languages)
    if not sets:
        print(f"no labelled sets in {directory}", file=sys.stderr)
        return 2
    detector = load_safety().detector
    reports = {"lexicons": evaluation.evaluate(lambda m: detector.detect(m).categories, sets)}
    settings = Settings.from_env()
    model_path = Path(args.model) if args.model else settings.model_path
    if args.lexicon_only:
        pass
    elif not model_path.is_file():
        print(f"(no model at {model_path}: lexicons only; run `doula train` for the full comparison)")
    else:
        import warnings

        from bot.safety.pipeline import ParsedMessages

        warnings.simplefilter("ignore")  # Rasa's and TensorFlow's deprecation warnings would bury the table
        print(f"parsing {sum(len(s.not_alarms) + sum(map(len, s.alarms.values())) for s in sets)} messages "
              f"with {model_path.name} ...", flush=True)
        parsed = ParsedMessages(model_path)
        parsed.parse_all([m for s in sets for m in s.not_alarms + [x for ms in s.alarms.values() for x in ms]])
        reports["intent model alone"] = evaluation.evaluate(parsed.model_alone, sets, parsed.cost)
        reports["learned signal alone"] = evaluation.evaluate(parsed.learned_alone, sets, parsed.cost)
        reports["bot = lexicons + model"] = evaluation.evaluate(parsed.pipeline, sets, parsed.cost)
    print(f"red-flag detection on {directory.relative_to(ROOT) if directory.is_relative_to(ROOT) else directory}")
    print("(ms/msg: lexicons alone vs. the whole Rasa NLU parse, which gives both model columns)\n"
          if len(reports) > 1 else "")
    print(evaluation.format_reports(reports))
    final = list(reports.values())[-1]
    if args.failures:
        print("\n" + (evaluation.format_failures(final) or "no failures"))
    if args.nlu_examples:
        total, alarms = evaluation.nlu_example_alarms(lambda m: detector.detect(m).categories)
        print("\n" + evaluation.format_example_alarms(total, alarms, listed=args.failures))
    ok = evaluation.meets_targets(final)
    print(f"\ntargets {'met' if ok else 'NOT met'} by '{list(reports)[-1]}'")
    return 0 if ok or not args.strict else 1


def cmd_telegram(args: argparse.Namespace) -> int:
    import asyncio

    from bot.channels.telegram.polling import poll, set_webhook

    settings = Settings.from_env()
    if not settings.telegram_token:
        print("doula telegram: set TELEGRAM_TOKEN and TELEGRAM_WEBHOOK_SECRET first", file=sys.stderr)
        return 2
    if args.set_webhook:
        print(f"webhook set: {asyncio.run(set_webhook(settings))}")
        return 0
    print("polling Telegram for updates and passing them to the running bot (Ctrl-C stops)")
    try:
        asyncio.run(poll(settings))
    except KeyboardInterrupt:
        pass
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    """Serve the staff console (and, unless --no-worker, the handoff worker) until Ctrl-C."""
    from bot.console.app import create_app
    from bot.console.staff import StaffDirectory

    settings = _settings(args)
    if StaffDirectory.from_settings(settings).count() == 0:
        print("doula console: no staff accounts yet; create one with `doula staff add --role admin ...`",
              file=sys.stderr)
    print(f"doula console: open {settings.console_url} (listening on {settings.host}:{settings.console_port})",
          flush=True)
    app = create_app(settings, start_worker=not args.no_worker)
    app.run(host=settings.host, port=settings.console_port, access_log=False, motd=False, workers=1)
    print("==> console stopped", flush=True)
    return 0


def _read_new_password(args: argparse.Namespace) -> str:
    """The new password: the first line of stdin with --password-stdin (for scripts), else asked twice, unechoed."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("New password (12 characters or more): ")
    if getpass.getpass("Repeat the password: ") != first:
        raise ValueError("the two passwords differ")
    return first


def cmd_staff(args: argparse.Namespace) -> int:
    """Staff accounts of the console. Passwords are never printed, logged or taken as a command-line argument
    (which other users of the machine could read in the process list)."""
    from bot.console.staff import StaffDirectory, StaffError

    directory = StaffDirectory.from_settings(Settings.from_env())
    try:
        if args.staff_command == "list":
            _print_staff(directory)
            return 0
        if args.staff_command == "add":
            user = directory.add(args.username, args.name, args.role, args.languages or "", _read_new_password(args))
            print(f"added {user.username} ({user.role}{', ' + ','.join(user.languages) if user.languages else ''})")
        elif args.staff_command == "disable":
            user = directory.disable(args.username)
            print(f"disabled {user.username}; their console sessions have ended")
        elif args.staff_command == "password":
            user = directory.set_password(args.username, _read_new_password(args))
            print(f"password changed for {user.username}; the account is unlocked and its sessions have ended")
    except (StaffError, ValueError) as exc:
        print(f"doula staff: {exc}", file=sys.stderr)
        return 2
    return 0


def _print_staff(directory: StaffDirectory) -> None:
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    header = ("USERNAME", "NAME", "ROLE", "LANGUAGES", "ACTIVE", "LOCKED")
    rows = [(u.username, u.display_name, u.role, ",".join(u.languages) or "-", "yes" if u.active else "no",
             "yes" if u.locked(now) else "no") for u in directory.list()]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    if not rows:
        print("(no staff accounts: `doula staff add --username ... --name ... --role admin`)")


def cmd_feedback_export(args: argparse.Namespace) -> int:
    """Feedback women agreed to share with the MVP, as CSV, XLSX or an HTML report. Prints counts, never words."""
    from bot.services.feedback.export import ExportError, collect, render
    from bot.services.feedback.store import FeedbackStore
    from bot.storage.database import engine_for

    settings = Settings.from_env()
    try:
        export = collect(FeedbackStore(engine_for(settings.database_url)), args.start, args.end, args.site,
                         settings.feedback_min_cell)
    except ExportError as exc:
        print(f"doula feedback export: {exc}", file=sys.stderr)
        return 2
    output = Path(args.output or export.filename(args.format))
    output.write_bytes(render(export, args.format))
    print(f"wrote {output}: {len(export.records)} pieces of feedback shared with the MVP ({export.scope()})")
    print(f"  left out: {export.withheld} (she did not agree to share it with the MVP)")
    if args.format != "html":
        print(f"  ethnic group and age band blanked on {len(export.rare)} rows (combinations rarer than "
              f"{export.min_cell})")
    print(f"  counts hidden in summaries: {export.summary.hidden} (under {export.min_cell}, or balancing one)")
    return 0


def cmd_feedback_import(args: argparse.Namespace) -> int:
    """Feedback from another source, anonymised and themed like the bot's. Prints counts and line-numbered problems,
    never a cell of the file."""
    from bot.services.feedback.importer import ImportRefused, import_csv
    from bot.services.feedback.store import FeedbackStore
    from bot.services.translation import Translator
    from bot.storage.database import engine_for

    settings = Settings.from_env()
    path = Path(args.file)
    if not path.is_file():
        print(f"doula feedback import: no such file: {path}", file=sys.stderr)
        return 2
    try:
        result = import_csv(path, FeedbackStore(engine_for(settings.database_url)), args.language, args.site,
                            args.consent_mvp, translator=Translator.from_settings(settings))
    except ImportRefused as refused:
        for problem in refused.problems:
            print(f"  - {problem}")
        print(f"feedback import: REFUSED, nothing was imported ({len(refused.problems)} problems)")
        return 1
    languages = ", ".join(f"{code} {n}" for code, n in result.languages.most_common()) or "none"
    print(f"feedback import: {result.imported} imported ({languages}), "
          f"{'shared' if args.consent_mvp else 'NOT shared'} with the MVP")
    removed = ", ".join(f"{kind} {n}" for kind, n in result.removed.most_common())
    print(f"  anonymised: details removed from {result.redacted_rows} comments" + (f" ({removed})" if removed else ""))
    for count, what in ((result.empty, "rows without text skipped"),
                        (result.undated, "rows without a date given this month"),
                        (result.undetected, "comments whose language was not recognised, stored as English"),
                        (result.translation_failures, "comments not machine-translated (the translator failed)"),
                        (result.refused, "comments NOT imported: they still looked identifying after anonymisation")):
        if count:
            print(f"  {count} {what}")
    if not args.consent_mvp:
        print("  (without --consent-mvp, imported feedback is used by the maternity service but not exported to the "
              "MVP)")
    return 0


def cmd_anonymise(args: argparse.Namespace) -> int:
    """Redact stdin line by line (or JSON line by line) to stdout. Her words go nowhere else: an error names the line
    number, never its text."""
    import json

    from bot.anonymise import anonymiser

    engine = anonymiser()
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    failed = 0
    for number, line in enumerate(sys.stdin, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            sys.stdout.write(line + "\n")
            continue
        if not args.jsonl:
            sys.stdout.write(engine.redact(line, args.language).text + "\n")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            failed += 1
            print(f"doula anonymise: line {number}: not valid JSON ({exc.msg} at column {exc.colno})", file=sys.stderr)
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            failed += 1
            print(f"doula anonymise: line {number}: not a JSON object with a string field \"text\"", file=sys.stderr)
            continue
        redaction = engine.redact(record.pop("text"), args.language or record.get("language"))
        record["redacted"] = redaction.text
        record["entities"] = [entity.to_dict() for entity in redaction.entities]
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if failed:
        print(f"doula anonymise: {failed} line(s) could not be read", file=sys.stderr)
    return 1 if failed else 0


def cmd_eval_anonymise(args: argparse.Namespace) -> int:
    """Recall and precision of the anonymiser per entity type (names per language), beside Presidio's predefined
    recognizers on the same NLP engine."""
    from bot.anonymise import evaluation

    directory = Path(args.path) if args.path else evaluation.EVAL_DIR
    samples = evaluation.load_samples(directory, args.languages)
    if not samples:
        print(f"no labelled sets in {directory}", file=sys.stderr)
        return 2
    detectors = {"doula": evaluation.doula_detector(), "Presidio predefined": evaluation.presidio_baseline()}
    reports = {name: evaluation.evaluate(samples, detect) for name, detect in detectors.items()}
    where = directory.relative_to(ROOT) if directory.is_relative_to(ROOT) else directory
    print(f"anonymisation on {where}: {len(samples)} messages, {reports['doula'].entities} entities, "
          f"{len({s.language for s in samples})} languages\n")
    print(evaluation.format_reports(reports))
    held_out = [s for s in samples if s.held_out]
    if held_out:
        print(f"\nheld-out messages only ({len(held_out)}, written after the rules and never used to tune them):")
        print(evaluation.format_reports({n: evaluation.evaluate(held_out, d) for n, d in detectors.items()},
                                        details=False))
    if args.failures:
        print("\n" + (evaluation.format_failures(reports["doula"]) or "no failures"))
    ok = evaluation.meets_targets(reports["doula"])
    print(f"\ntargets {'met' if ok else 'NOT met'} by doula")
    return 0 if ok or not args.strict else 1


def cmd_eval_themes(args: argparse.Namespace) -> int:
    """Per-theme precision, recall and F1 of the feedback theme cues on eval/themes, beside a TF-IDF + logistic
    regression baseline scored by k-fold cross-validation on the same comments."""
    from bot.services.feedback import theme_evaluation as evaluation
    from bot.services.feedback.themes import theme_classifier

    directory = Path(args.path) if args.path else evaluation.EVAL_DIR
    comments = evaluation.load_comments(directory, args.languages)
    if not comments:
        print(f"no labelled comments in {directory}", file=sys.stderr)
        return 2
    classifier = theme_classifier()
    themes = tuple(classifier.themes)

    def cues(text: str, language: str) -> evaluation.Prediction:
        found = classifier.classify(text, language)
        return evaluation.Prediction({m.theme: m.sentiment for m in found.themes}, found.sentiment)

    reports = {"doula (cues)": evaluation.evaluate(cues, comments, themes),
               f"tf-idf+LR ({args.folds}-fold)": evaluation.cross_validate_baseline(comments, themes, args.folds)}
    languages = sorted({c.language for c in comments})
    print(f"feedback themes on {len(comments)} comments in {len(languages)} languages ({directory})\n")
    print(evaluation.format_table(reports, languages))
    if args.failures:
        print("\n" + (evaluation.format_errors(reports["doula (cues)"]) or "no errors"))
    return 0


def _privacy_sender(args: argparse.Namespace, settings: Settings) -> str:
    """The pseudonymous id a privacy command is about: `--sender <channel>:<address>` hashed, or `--sender-id`."""
    from bot.services.privacy.senders import check_sender_id, sender_id_for

    return sender_id_for(args.sender, settings.sender_key) if args.sender else check_sender_id(args.sender_id)


def cmd_privacy(args: argparse.Namespace) -> int:
    """Her rights (docs/privacy.md): erase, export; and key rotation. Prints her pseudonymous id and counts, never
    her address or any text (the export goes to the file or stdout it is asked for)."""
    from bot.services.privacy.erase import CLI, erase
    from bot.services.privacy.key_rotation import RotationError, rotate_key
    from bot.services.privacy.senders import SenderError
    from bot.services.privacy.subject_access import export_json

    settings = Settings.from_env()
    name = f"doula privacy {args.privacy_command}"
    try:
        if args.privacy_command == "rotate-key":
            rotation = rotate_key(settings, actor=CLI)
            print(f"re-encrypted with the first key of DOULA_CONTACT_KEY: {rotation.contacts} contacts, "
                  f"{rotation.handoff_messages} handoff messages")
            print("the other keys can now be removed from DOULA_CONTACT_KEY (restart the bot after)")
            return 0
        sender_id = _privacy_sender(args, settings)
    except (SenderError, RotationError) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2
    if args.privacy_command == "export":
        document = export_json(settings, sender_id, actor=CLI)
        if args.output:
            output = Path(args.output)
            descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)  # her address and messages: readable by this user only, even if it existed
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(document)
            print(f"wrote {output}: everything held about {sender_id}")
        else:
            sys.stdout.write(document)
        return 0
    if not args.yes:
        try:
            answer = input(f"Erase everything held about {sender_id}? This cannot be undone. Type yes: ")
        except EOFError:  # no terminal and no --yes
            answer = ""
        if answer.strip().lower() != "yes":
            print(f"{name}: not confirmed, nothing erased", file=sys.stderr)
            return 1
    erasure = erase(settings, sender_id, actor=CLI)
    print(f"erased {sender_id}: {erasure.total} records")
    for store, count in erasure.counts().items():
        print(f"  {store:<20} {count}")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    """Delete what is past its retention period (run daily); `--dry-run` only counts. Prints counts per table."""
    from bot.services.privacy.retention import run_retention

    settings = Settings.from_env()
    result = run_retention(settings, dry_run=args.dry_run)
    verb = "would delete" if result.dry_run else "deleted"
    print(f"retention: {verb} {result.total} records ({result.senders} conversations older than "
          f"{settings.retain_conversation_days} days)")
    for table, count in result.counts:
        print(f"  {table:<20} {count}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="doula",
        description="Multilingual maternity assistant on Rasa. Settings come from the environment (see .env.example).",
    )
    parser.add_argument("--version", action="version", version=f"doula {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = sub.add_parser("run", help="train if stale, then serve the bot (web chat, REST) until Ctrl-C")
    run.add_argument("--profile", choices=["embedded", "production"], help="overrides DOULA_PROFILE")
    run.add_argument("--no-train", action="store_true", help="fail instead of training when there is no model")
    run.set_defaults(func=cmd_run)

    db = sub.add_parser("db", help="doula's own database (DATABASE_URL): schema version and upgrades")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    for name, func, text in (
        ("upgrade", cmd_db_upgrade, "create missing tables and columns, apply pending migrations (idempotent)"),
        ("current", cmd_db_current, "the schema version and what an upgrade would do (exit status 1 if anything)"),
    ):
        action = db_sub.add_parser(name, help=text)
        action.add_argument("--profile", choices=["embedded", "production"], help="override DOULA_PROFILE")
        action.set_defaults(func=func)
    train = sub.add_parser("train", help="train the model if its inputs changed")
    train.add_argument("--force", action="store_true", help="train even if the model is up to date")
    train.add_argument("--config", help="pipeline and policies file (default config.yml)")
    train.set_defaults(func=cmd_train)

    chat = sub.add_parser("chat", help="talk to the bot in this terminal")
    chat.set_defaults(func=cmd_chat)

    telegram = sub.add_parser("telegram", help="Telegram without a public URL: long-poll and feed the running bot")
    telegram.add_argument("--set-webhook", action="store_true",
                          help="instead, register PUBLIC_BASE_URL/webhooks/telegram/webhook with Telegram")
    telegram.set_defaults(func=cmd_telegram)

    evaluate = sub.add_parser("eval", help="measure the bot (benchmarks that print tables)")
    eval_sub = evaluate.add_subparsers(dest="eval_command", metavar="WHAT", required=True)
    red = eval_sub.add_parser("red-flags", help="recall and false alarms of red-flag detection, per language")
    red.add_argument("--set", choices=["eval", "dev", "dev2", "dev3", "dev4", "cases"], default="eval",
                     help="eval: the held-out set, eval/red_flags (default); dev ... dev4: eval/red_flags_dev*, "
                          "used to find gaps; cases: the lexicon authors' cases, tests/safety/cases")
    red.add_argument("--path", help="a directory of labelled sets instead")
    red.add_argument("--languages", nargs="+", metavar="LANG", help="only these languages")
    red.add_argument("--lexicon-only", action="store_true", help="skip the trained model (no Rasa needed)")
    red.add_argument("--model", help="model file (default DOULA_MODEL)")
    red.add_argument("--failures", action="store_true", help="list every miss and false alarm")
    red.add_argument("--strict", action="store_true", help="exit 1 when the targets are not met")
    red.add_argument("--nlu-examples", action="store_true",
                     help="also count the NLU examples of other intents (data/nlu) that raise a lexicon alarm")
    red.set_defaults(func=cmd_eval_red_flags)
    lang = eval_sub.add_parser("language", help="language detection accuracy per language, beside lingua alone")
    lang.add_argument("--set", choices=["eval", "dev", "dev2"], default="eval",
                      help="eval: the held-out set, eval/language (default); dev, dev2: eval/language_dev and "
                           "eval/language_dev2, used to tune")
    lang.add_argument("--path", help="a directory of labelled sets instead")
    lang.add_argument("--languages", nargs="+", metavar="LANG", help="only these languages")
    lang.add_argument("--failures", action="store_true", help="list every wrong answer on 3+ word messages")
    lang.add_argument("--strict", action="store_true", help="exit 1 when the accuracy is below the target")
    lang.set_defaults(func=cmd_eval_language)
    nlu = eval_sub.add_parser("nlu", help="topic accuracy per language by k-fold cross-validation (trains k models)")
    nlu.add_argument("--folds", type=int, default=3, help="k, the number of folds (default 3)")
    nlu.add_argument("--languages", nargs="+", metavar="LANG", help="only measure these languages")
    nlu.add_argument("--strict", action="store_true", help="exit 1 when a language is below the target")
    nlu.set_defaults(func=cmd_eval_nlu)
    themes = eval_sub.add_parser("themes", help="feedback themes: P/R/F1 per theme of the cues, beside a baseline")
    themes.add_argument("--path", help="a directory of labelled comments instead of eval/themes")
    themes.add_argument("--languages", nargs="+", metavar="LANG", help="only these languages")
    themes.add_argument("--folds", type=int, default=5, help="cross-validation folds of the baseline (default 5)")
    themes.add_argument("--failures", action="store_true", help="list every comment whose themes are wrong")
    themes.set_defaults(func=cmd_eval_themes)
    anon = eval_sub.add_parser("anonymise", help="recall and precision of the anonymiser per type, beside Presidio's")
    anon.add_argument("--path", help="a directory of labelled sets instead of eval/anonymise")
    anon.add_argument("--languages", nargs="+", metavar="LANG", help="only these languages")
    anon.add_argument("--failures", action="store_true", help="list every miss and false positive")
    anon.add_argument("--strict", action="store_true", help="exit 1 when a recall target is not met")
    anon.set_defaults(func=cmd_eval_anonymise)

    console = sub.add_parser("console", help="serve the staff console (DOULA_CONSOLE_PORT) until Ctrl-C")
    console.add_argument("--no-worker", action="store_true",
                         help="do not run the handoff worker (escalations, deliveries, notifications) in this process")
    console.set_defaults(func=cmd_console)

    staff = sub.add_parser("staff", help="staff accounts of the console: add, list, disable, password")
    staff_sub = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = staff_sub.add_parser("add", help="create an account (the password is asked twice, or read from stdin)")
    add.add_argument("--username", required=True, help="login name: a-z, 0-9, '.', '_', '-'")
    add.add_argument("--name", required=True, help="display name shown to colleagues, e.g. \"Amina H.\"")
    add.add_argument("--role", required=True, help="interpreter (sees only her/his languages), midwife, "
                     "mvp_coordinator (no conversations) or admin (also metrics, audit log, staff list)")
    add.add_argument("--languages", default="", help="comma-separated codes, e.g. so,ti (required for interpreters)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    add.set_defaults(func=cmd_staff)
    listing = staff_sub.add_parser("list", help="the accounts (never their password hashes)")
    listing.set_defaults(func=cmd_staff)
    disable = staff_sub.add_parser("disable", help="stop an account logging in and end its sessions")
    disable.add_argument("username")
    disable.set_defaults(func=cmd_staff)
    password = staff_sub.add_parser("password", help="set a new password (also unlocks and ends sessions)")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from the first line of stdin")
    password.set_defaults(func=cmd_staff)

    validate = sub.add_parser("validate", help="rasa data validate --fail-on-warnings")
    validate.set_defaults(func=cmd_validate)

    anonymise = sub.add_parser("anonymise", help="redact names, NHS numbers, phones ... from stdin, line by line")
    anonymise.add_argument("--jsonl", action="store_true",
                           help="read JSON objects with a field \"text\"; write them with \"redacted\" and "
                                "\"entities\" instead (other fields are kept)")
    anonymise.add_argument("--language", metavar="LANG", help="language hint (every language's rules run anyway)")
    anonymise.set_defaults(func=cmd_anonymise)

    content = sub.add_parser("content", help="tools for the people who keep the content")
    content_sub = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = content_sub.add_parser("check", help="check every topic, language, source and menu")
    check.set_defaults(func=cmd_content_check)
    export = content_sub.add_parser("export", help="every text in a spreadsheet for translators and clinical reviewers")
    export.add_argument("--format", choices=["xlsx"], default="xlsx")
    export.add_argument("--output", "-o", default="content.xlsx", help="file to write (default content.xlsx)")
    export.set_defaults(func=cmd_content_export)
    imp = content_sub.add_parser("import", help="apply an edited export (refused whole if anything is wrong)")
    imp.add_argument("file", help="the .xlsx file")
    imp.set_defaults(func=cmd_content_import)

    feedback = sub.add_parser("feedback", help="feedback for the Maternity Voices Partnership: export, import")
    feedback_sub = feedback.add_subparsers(dest="feedback_command", metavar="ACTION", required=True)
    fb_export = feedback_sub.add_parser("export", help="what women agreed to share with the MVP: anonymised, themed, "
                                        "small numbers suppressed")
    fb_export.add_argument("--format", choices=["csv", "xlsx", "html"], required=True,
                           help="csv: one row per feedback; xlsx: data and summary sheets; html: the report to share")
    fb_export.add_argument("--from", dest="start", required=True, metavar="YYYY-MM", help="first month")
    fb_export.add_argument("--to", dest="end", required=True, metavar="YYYY-MM", help="last month (included)")
    fb_export.add_argument("--site", metavar="NAME", help="only this site (default: all)")
    fb_export.add_argument("--output", "-o", metavar="FILE",
                           help="file to write (default doula-feedback-<from>-to-<to>[-<site>].<format>)")
    fb_export.set_defaults(func=cmd_feedback_export)
    fb_import = feedback_sub.add_parser("import", help="feedback from another source (CSV with a text column), "
                                        "anonymised and themed; refused whole if any line is wrong")
    fb_import.add_argument("file", help="the .csv file: text, and optionally date or month, rating, site, stage, "
                           "language")
    fb_import.add_argument("--language", metavar="xx", help="language of rows that do not say (default: detected)")
    fb_import.add_argument("--site", metavar="NAME", help="site of rows that do not say")
    fb_import.add_argument("--consent-mvp", action="store_true",
                           help="the respondents agreed to share their feedback with the MVP (else it is not exported)")
    fb_import.set_defaults(func=cmd_feedback_import)

    privacy = sub.add_parser("privacy", help="her rights over her data: erase, export; and contact key rotation")
    privacy_sub = privacy.add_subparsers(dest="privacy_command", metavar="ACTION", required=True)
    for action, text in (("erase", "delete everything held about one woman (asks for confirmation)"),
                         ("export", "subject access: everything held about one woman, as JSON")):
        parser_ = privacy_sub.add_parser(action, help=text)
        who = parser_.add_mutually_exclusive_group(required=True)
        who.add_argument("--sender", metavar="CHANNEL:ADDRESS",
                         help="as the channel knows her: sms:+447700900123, whatsapp:+447700900123, "
                              "telegram:<chat id> or webchat:<browser id>")
        who.add_argument("--sender-id", metavar="ID", help="her pseudonymous id, e.g. sms-<32 hex characters>")
        if action == "erase":
            parser_.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        else:
            parser_.add_argument("--output", "-o", metavar="FILE", help="write to FILE (mode 600), not stdout")
        parser_.set_defaults(func=cmd_privacy)
    rotate = privacy_sub.add_parser("rotate-key", help="re-encrypt stored addresses and handoff messages with the "
                                    "first key of DOULA_CONTACT_KEY (then drop the old keys)")
    rotate.set_defaults(func=cmd_privacy)

    retention = sub.add_parser("retention", help="delete data past its retention period (docs/privacy.md)")
    retention_sub = retention.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    retention_run = retention_sub.add_parser("run", help="delete what is past its period (run daily)")
    retention_run.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
    retention_run.set_defaults(func=cmd_retention)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"doula: configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if os.environ.get("DOULA_METRICS_ROLE"):  # a child of `doula run` (the console): its errors are counted
        from bot.runtime.metrics import count_errors

        count_errors(os.environ["DOULA_METRICS_ROLE"])
    try:
        return args.func(args)
    except SettingsError as exc:
        print(f"doula: configuration error: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"doula: {' '.join(map(str, exc.cmd[:4]))} ... failed with status {exc.returncode}", file=sys.stderr)
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
