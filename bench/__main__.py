"""`python -m bench`: see :mod:`bench` and `python -m bench --help`."""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

# Before anything imports Rasa (and TensorFlow, which logs at import unless told otherwise).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

import aiohttp  # noqa: E402

import bench  # noqa: E402
from bench import conversations as scripts  # noqa: E402
from bench import report, targets  # noqa: E402
from bench.fake_twilio import FakeTwilio  # noqa: E402
from bench.load import RestDriver, Result, TwilioDriver, run  # noqa: E402
from bot.paths import ROOT  # noqa: E402

DEFAULT_POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
# Settings that change how the product runs; printed with the results when set.
PRODUCT_KNOBS = ("DOULA_PROFILE", "DOULA_RASA_WORKERS", "DOULA_ACTION_WORKERS", "TRACKER_STORE_URL", "LOCK_STORE_URL",
                 "DATABASE_URL")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=bench.__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--conversations", type=int, default=200, help="measured conversations per system")
    parser.add_argument("-c", "--concurrency", type=int, default=20, help="conversations at a time")
    parser.add_argument("--warmup", type=int, default=20, help="conversations run first and not measured")
    parser.add_argument("--capacity", type=int, default=60, metavar="C",
                        help="after the latency run, play -n more conversations C at a time against the same servers, "
                             "enough to saturate them: the throughput ratio is taken from this phase, where neither "
                             "system waits on her pauses (0: skip it)")
    parser.add_argument("--settle-ms", type=float, default=500,
                        help="quiet time after a reply before she writes again (tells the last SMS part)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds a turn may take before it is an error")
    parser.add_argument("--connections", choices=("new", "keep-alive"), default="new",
                        help="new: every request on a new connection, as Twilio's webhooks arrive (so the kernel "
                             "spreads them over the Rasa workers); keep-alive: reuse connections (each then sticks "
                             "to one worker). The same for both targets")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kinds", default="topics,red_flag,feedback",
                        help="which kinds of conversation to play (to look at one path on its own)")
    parser.add_argument("--targets", default="product,bare", help="which to run: product, bare, or both")
    parser.add_argument("--profile", choices=("embedded", "production"), default="embedded",
                        help="the product's profile (production: PostgreSQL + Redis)")
    parser.add_argument("--postgres-url", default="",
                        help="tracker store for --profile production (default: a throw-away database on "
                             "the local PostgreSQL, dropped afterwards)")
    parser.add_argument("--postgres-admin-url", default=DEFAULT_POSTGRES_ADMIN,
                        help="where the throw-away database is created")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS, help="lock store for --profile production")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for the product (e.g. DOULA_RASA_WORKERS=2); repeatable")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "doula.tar.gz")
    parser.add_argument("--layers-repeats", type=int, default=3, help="passes over the mix for the own-layer timing")
    parser.add_argument("--no-layers", action="store_true", help="skip the own-layer timing")
    parser.add_argument("--train", action="store_true",
                        help="also time a full training into a temporary model path (about a minute)")
    parser.add_argument("--samples", type=int, default=0, help="print the replies of the first N turns of each run")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--logs", type=Path, help="keep the servers' logs in this folder (they are in a temporary "
                        "one, removed at the end, otherwise)")
    return parser.parse_args(argv)


def _extra_env(pairs: list[str]) -> dict[str, str]:
    env = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--env wants NAME=VALUE, got {pair!r}")
        env[name] = value
    return env


def _show(name: str, result: Result) -> None:
    for text, replies in result.samples:
        print(f"--- {name} <- {text[:60]!r}")
        for reply in replies:
            print("    " + reply[:160].replace("\n", " | "))


def _connector(args: argparse.Namespace) -> aiohttp.TCPConnector:
    return aiohttp.TCPConnector(limit=0, force_close=args.connections == "new")


async def _product(args: argparse.Namespace, stack: ExitStack, work: Path, warm: list, measured: list,
                   capacity: list, extra: dict[str, str]) -> tuple[Result, Result | None, dict[str, str]]:
    fake = FakeTwilio()
    await fake.start()
    postgres_url = args.postgres_url
    if args.profile == "production" and not postgres_url:
        postgres_url = stack.enter_context(targets.throwaway_postgres(args.postgres_admin_url))
    env = targets.product_env(work, fake.url, args.profile, postgres_url, args.redis_url, extra)
    try:
        with targets.product(work, env) as running:
            async with aiohttp.ClientSession(connector=_connector(args)) as session:
                driver = TwilioDriver(session, running.base, fake, args.settle_ms / 1000, args.timeout)
                await run(driver, warm, args.concurrency, args.settle_ms / 1000)
                driver.late = 0
                result = await run(driver, measured, args.concurrency, args.settle_ms / 1000, args.samples, 30)
                saturated = await run(driver, capacity, args.capacity, args.settle_ms / 1000) if capacity else None
            banner = running.banner
    finally:
        await fake.stop()
    used = {k: v for k, v in env.items() if k in PRODUCT_KNOBS or k in extra}
    if banner:
        used["started"] = banner
    return result, saturated, used


async def _bare(args: argparse.Namespace, work: Path, warm: list, measured: list,
                capacity: list) -> tuple[Result, Result | None]:
    with targets.bare_rasa(work, args.model) as running:
        async with aiohttp.ClientSession(connector=_connector(args)) as session:
            driver = RestDriver(session, running.base, args.timeout)
            await run(driver, warm, args.concurrency, args.settle_ms / 1000)
            result = await run(driver, measured, args.concurrency, args.settle_ms / 1000, args.samples, 30)
            saturated = await run(driver, capacity, args.capacity, args.settle_ms / 1000) if capacity else None
            return result, saturated


def _time_training(work: Path) -> float:
    from bot.runtime import training

    started = time.monotonic()
    training.train(work / "models" / "bench.tar.gz", force=True)
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    wanted = {t.strip() for t in args.targets.split(",") if t.strip()}
    if not wanted <= {"product", "bare"}:
        raise SystemExit("--targets takes product, bare or product,bare")
    if wanted and not args.model.is_file():
        raise SystemExit(f"no model at {args.model}: run `doula train` first")
    extra = _extra_env(args.env)
    kinds = {k.strip() for k in args.kinds.split(",") if k.strip()}
    extra_conversations = args.conversations if args.capacity > 0 else 0
    wanted_count = args.warmup + args.conversations + extra_conversations
    everything = [c for c in scripts.build(5 * wanted_count, args.seed) if c.kind in kinds][:wanted_count]
    split = args.warmup + args.conversations
    warm, measured, capacity = everything[:args.warmup], everything[args.warmup:split], everything[split:]
    kinds = {k: sum(c.kind == k for c in measured) for k in ("topics", "red_flag", "feedback")}
    data: dict = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {"conversations": args.conversations, "concurrency": args.concurrency, "warmup": args.warmup,
                     "settle_ms": args.settle_ms, "timeout_s": args.timeout, "seed": args.seed,
                     "profile": args.profile, "model": str(args.model), "mix": kinds,
                     "languages": sorted({c.language for c in measured})},
        "runs": {},
        "capacity_runs": {},
    }
    print(f"==> bench: {os.cpu_count()} cores, Python {platform.python_version()}; {args.conversations} conversations "
          f"({kinds}), {args.concurrency} at a time, {args.warmup} warm-up, settle {args.settle_ms:.0f} ms",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="doula-bench-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        if "product" in wanted:
            print(f"==> product: doula run --no-train, profile {args.profile}, via signed Twilio webhooks ...",
                  flush=True)
            (work / "product").mkdir()
            result, saturated, used = asyncio.run(_product(args, stack, work / "product", warm, measured, capacity,
                                                           extra))
            data["runs"]["product"] = report.summary(result)
            if saturated is not None:
                data["capacity_runs"]["product"] = report.summary(saturated)
            data["settings"]["product_env"] = {k: _redact_url(v) for k, v in used.items()}
            _show("product", result)
        if "bare" in wanted:
            print("==> bare Rasa: rasa run, REST channel, in-memory stores, one process ...", flush=True)
            (work / "bare").mkdir()
            result, saturated = asyncio.run(_bare(args, work / "bare", warm, measured, capacity))
            data["runs"]["bare Rasa"] = report.summary(result)
            if saturated is not None:
                data["capacity_runs"]["bare Rasa"] = report.summary(saturated)
            _show("bare Rasa", result)
        if not args.no_layers:
            print("==> own layers, in-process over the same messages ...", flush=True)
            from bench.layers import measure  # imports Rasa (and TensorFlow): only when needed
            feedback = [t for c in measured if c.kind == "feedback" for t in c.turns if t in scripts.FEEDBACK_TEXTS]
            costs = measure(scripts.texts(measured), feedback, args.layers_repeats)
            data["own_layers"] = [{**c.__dict__, "per_message_us": c.per_message_us} for c in costs]
        if args.logs:
            args.logs.mkdir(parents=True, exist_ok=True)
            for log in work.glob("*/*.log"):
                shutil.copy(log, args.logs / log.name)
        if args.train:
            print("==> timing a full training into a temporary path ...", flush=True)
            (work / "models").mkdir()
            data["training_s"] = _time_training(work)

    print()
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}; other processes share them, so figures are noisy")
    print("settings: " + ", ".join(f"{k}={v}" for k, v in data["settings"].items() if k not in ("mix", "languages")))
    if data["runs"]:
        print()
        print(report.table(data["runs"]))
        for name, run_ in data["runs"].items():
            if run_["error_kinds"] or run_["late_replies"]:
                print(f"  {name}: errors {run_['error_kinds']}, turns not sent after a silence: "
                      f"{run_['abandoned_turns']}, replies after their turn closed: {run_['late_replies']}")
                for where in run_["failed_turns"][:5]:
                    print(f"    {where}")
    if data["capacity_runs"]:
        print(f"\nat capacity: {args.conversations} more conversations, {args.capacity} at a time")
        print(report.table(data["capacity_runs"]))
    if {"product", "bare Rasa"} <= set(data["runs"]):
        product, bare = data["runs"]["product"], data["runs"]["bare Rasa"]
        ratio = product["throughput_msg_s"] / bare["throughput_msg_s"] if bare["throughput_msg_s"] else float("nan")
        p95_ratio = product["p95_ms"] / bare["p95_ms"] if bare["p95_ms"] else float("nan")
        data["ratio"] = {"throughput": ratio, "p95": p95_ratio}
        line = (f"\nproduct / bare Rasa at {args.concurrency} concurrent: throughput x{ratio:.2f}, p95 "
                f"x{p95_ratio:.2f}; product p95 {product['p95_ms']:.0f} ms (target <= "
                f"{report.TARGETS['p95_ms_at_20']:.0f} ms at 20)")
        if {"product", "bare Rasa"} <= set(data["capacity_runs"]):
            top, base = data["capacity_runs"]["product"], data["capacity_runs"]["bare Rasa"]
            capacity_ratio = top["throughput_msg_s"] / base["throughput_msg_s"] if base["throughput_msg_s"] else 0
            data["ratio"]["capacity_throughput"] = capacity_ratio
            line += (f"\nproduct / bare Rasa at capacity ({args.capacity} concurrent): throughput "
                     f"x{capacity_ratio:.2f} (target >= {report.TARGETS['throughput_ratio']})")
        else:
            ceiling = args.concurrency / (args.settle_ms / 1000)
            line += (f"\n  (throughput target >= {report.TARGETS['throughput_ratio']}x is for capacity: add "
                     f"--capacity 60; at {args.concurrency} conversations with {args.settle_ms:.0f} ms pauses no "
                     f"server exceeds {ceiling:.0f} messages/s)")
        print(line)
    if "own_layers" in data:
        print()
        print(report.layers_table(costs))
        print(f"  target: own layers <= {report.TARGETS['own_layers_ms']:.0f} ms per message")
    print()
    if "training_s" in data:
        print(f"training: {data['training_s']:.0f} s (target <= {report.TARGETS['training_s']:.0f} s)")
    else:
        print("training: not timed (`doula train` does not record its duration; add --train to time one)")
    if args.json:
        report.write_json(args.json, data)
        print(f"results written to {args.json}")
    return 0


def _redact_url(value: str) -> str:
    """Connection URLs without their password."""
    if "://" in value and "@" in value:
        scheme, rest = value.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"
    return value


if __name__ == "__main__":
    sys.exit(main())
