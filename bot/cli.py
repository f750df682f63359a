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


def cmd_eval_red_flags(args: argparse.Namespace) -> int:
    """Recall and false alarms of red-flag detection, per language and category, for each detector side by side."""
    from bot.safety import evaluation
    from bot.safety.catalog import load_safety

    directories = {"eval": evaluation.EVAL_DIR, "dev": evaluation.DEV_DIR, "cases": evaluation.CASES_DIR}
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
        reports["model alone (DIET)"] = evaluation.evaluate(parsed.model_alone, sets, parsed.cost)
        reports["bot = lexicons + model"] = evaluation.evaluate(parsed.pipeline, sets, parsed.cost)
    print(f"red-flag detection on {directory.relative_to(ROOT) if directory.is_relative_to(ROOT) else directory}")
    print("(ms/msg: lexicons alone vs. the whole Rasa NLU parse, which gives both model columns)\n"
          if len(reports) > 1 else "")
    print(evaluation.format_reports(reports))
    final = list(reports.values())[-1]
    if args.failures:
        print("\n" + (evaluation.format_failures(final) or "no failures"))
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
    red.add_argument("--set", choices=["eval", "dev", "cases"], default="eval",
                     help="eval: the held-out set, eval/red_flags (default); dev: eval/red_flags_dev, used to find "
                          "gaps; cases: the lexicon authors' cases, tests/safety/cases")
    red.add_argument("--path", help="a directory of labelled sets instead")
    red.add_argument("--languages", nargs="+", metavar="LANG", help="only these languages")
    red.add_argument("--lexicon-only", action="store_true", help="skip the trained model (no Rasa needed)")
    red.add_argument("--model", help="model file (default DOULA_MODEL)")
    red.add_argument("--failures", action="store_true", help="list every miss and false alarm")
    red.add_argument("--strict", action="store_true", help="exit 1 when the targets are not met")
    red.set_defaults(func=cmd_eval_red_flags)

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

    content = sub.add_parser("content", help="tools for the people who keep the content")
    content_sub = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = content_sub.add_parser("check", help="check every topic, language, source and menu")
    check.set_defaults(func=cmd_content_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"doula: configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
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
