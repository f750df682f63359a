"""A bounded soak: steady traffic at the product for N minutes, sampling the memory (RSS) of each of its processes.

    .venv/bin/python -m bench.soak                      # starts `doula run --no-train` (embedded), 10 minutes
    .venv/bin/python -m bench.soak --minutes 3 --rate 4
    .venv/bin/python -m bench.soak --url http://127.0.0.1:5005 --pid <pid of doula run>   # a product already running

Traffic: short conversations over the REST channel, each from a new sender (a greeting, menu numbers, a question in
one of several languages, now and then a red flag), at a fixed rate. Every `--every` seconds the RSS of the `doula run`
process and of each of its descendants (Rasa, action server, console) is read (psutil when installed, /proc otherwise).

Prints a table of memory over time, then for each process the growth per 1,000 messages: the least-squares slope of
RSS against messages sent, over the samples after the warm-up (`--warmup-minutes`, default a fifth of the run), when
caches fill and the allocator settles. A slope near zero (a few MB per 1,000 messages or less, within the noise of
the samples) means stable memory; a steady climb over the whole run is a leak. Not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent

# Conversations: each turn gets at least one reply. Languages and kinds as women use the bot.
CONVERSATIONS = (
    ("Hello", "1", "1", "0"),
    ("Dzień dobry", "3", "2"),
    ("where can I give birth?", "0", "2"),
    ("Bună ziua", "2", "1"),
    ("Olá, preciso de informação sobre amamentação", "0"),
    ("السلام عليكم", "1"),
    ("Привіт", "4", "0"),
    ("I am bleeding a lot", "0"),  # a red flag: urgent advice first
    ("my baby is moving less today", "0"),
    ("what is an epidural", "2", "3"),
)


@dataclass
class Traffic:
    sent: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)


# -- processes and their memory --------------------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    try:
        import psutil

        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except ImportError:
        pass
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def rss_mb(pid: int) -> float | None:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        pass
    except Exception:
        return None
    try:
        match = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    except OSError:
        return None
    return int(match.group(1)) / 1024 if match else None


def label(pid: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return str(pid)
    text = " ".join(a.decode(errors="replace") for a in args if a)
    for needle, name in (("rasa_sdk", "action server"), ("action_server", "action server"), ("rasa run", "rasa"),
                         ("cli console", "console"),
                         ("cli run", "doula run"), ("-m rasa", "rasa")):
        if needle in text:
            return name
    return Path(args[0].decode(errors="replace")).name if args and args[0] else str(pid)


# -- the product ------------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_product(workdir: Path) -> tuple[subprocess.Popen, str]:
    """`doula run --no-train`, embedded profile, on free ports and throw-away databases."""
    rasa_port = free_port()
    env = dict(os.environ)
    env.update({
        "RASA_PORT": str(rasa_port), "ACTION_SERVER_PORT": str(free_port()), "DOULA_CONSOLE_PORT": str(free_port()),
        "DOULA_PROFILE": "embedded", "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{workdir / 'doula.db'}", "DOULA_RATE_LIMIT": "off", "DOULA_RATE_LIMIT_IP": "off",
        "RASA_TELEMETRY_ENABLED": "false",
    })
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--no-train"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300
    while "doula is running" not in (workdir / "server.log").read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit("doula did not start:\n" + (workdir / "server.log").read_text(errors="replace")[-3000:])
        time.sleep(0.5)
    return process, f"http://127.0.0.1:{rasa_port}"


# -- traffic ----------------------------------------------------------------------------------------------------------
async def drive(url: str, rate: float, until: float, concurrency: int, traffic: Traffic, senders: int = 0) -> None:
    """Conversations, one turn every 1/`rate` seconds overall, at most `concurrency` at a time: each from a new sender,
    or from a pool of `senders` (which tells growth per conversation from growth per message)."""
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue(maxsize=concurrency * 2)
    run_id = secrets.token_hex(4)

    async def producer() -> None:
        index = 0
        next_at = time.monotonic()
        while time.monotonic() < until:
            sender = f"soak-{index % senders}-{run_id}" if senders else f"soak-{secrets.token_hex(8)}"
            for text in CONVERSATIONS[index % len(CONVERSATIONS)]:
                next_at += 1 / rate
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                await queue.put((sender, text))
            index += 1
        for _ in range(concurrency):
            await queue.put(("", ""))

    async def worker(session: aiohttp.ClientSession) -> None:
        # Two turns of one conversation may overlap when a reply takes longer than 1/rate (Rasa's lock serialises
        # them); each still gets a reply, and a steady flow of messages is all a soak needs.
        while True:
            sender, text = await queue.get()
            if not sender:
                return
            started = time.monotonic()
            try:
                async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                        timeout=aiohttp.ClientTimeout(total=60)) as reply:
                    body = await reply.json(content_type=None)
                    ok = reply.status == 200 and bool(body)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                ok = False
            traffic.sent += 1
            traffic.errors += not ok
            traffic.latencies.append(time.monotonic() - started)

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(producer(), *(worker(session) for _ in range(concurrency)))


async def sample(root: int, every: float, until: float, traffic: Traffic, rows: list[tuple]) -> None:
    start = time.monotonic()
    while True:
        pids = [root, *_children(root)]
        memory = {f"{label(pid)} ({pid})": rss_mb(pid) for pid in pids}
        rows.append((time.monotonic() - start, traffic.sent, traffic.errors,
                     {k: v for k, v in memory.items() if v is not None}))
        if time.monotonic() >= until:
            return
        await asyncio.sleep(min(every, max(0.0, until - time.monotonic())))


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y against x."""
    n = len(points)
    mean_x, mean_y = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0


def report(rows: list[tuple], warmup_s: float, traffic: Traffic) -> None:
    names = sorted({name for *_, memory in rows for name in memory}, key=lambda n: (n.split(" (")[0], n))
    print("\nRSS in MB over time")
    print(f"{'t (s)':>7} {'msgs':>6} {'errs':>5} " + " ".join(f"{n[:22]:>22}" for n in names) + f" {'total':>8}")
    for elapsed, sent, errors, memory in rows:
        cells = " ".join(f"{memory[n]:>22.1f}" if n in memory else f"{'-':>22}" for n in names)
        print(f"{elapsed:>7.0f} {sent:>6} {errors:>5} {cells} {sum(memory.values()):>8.1f}")
    settled = [r for r in rows if r[0] >= warmup_s] or rows
    messages = settled[-1][1] - settled[0][1]
    print(f"\nafter the warm-up ({warmup_s:.0f} s): {len(settled)} samples, {messages} messages")
    if messages <= 0 or len(settled) < 3:
        print("too few samples or messages after the warm-up for a growth figure")
        return
    print(f"{'process':<30} {'first MB':>9} {'last MB':>9} {'MB per 1,000 msgs':>18}")
    for name in [*names, "total"]:
        points = [(sent, sum(m.values()) if name == "total" else m[name]) for _, sent, _, m in settled
                  if name == "total" or name in m]
        if len(points) >= 3:
            print(f"{name[:30]:<30} {points[0][1]:>9.1f} {points[-1][1]:>9.1f} {slope(points) * 1000:>18.2f}")
    latencies = sorted(traffic.latencies)
    if latencies:
        p50, p95 = latencies[len(latencies) // 2], latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
        print(f"\nmessages {traffic.sent}, errors {traffic.errors}, latency p50 {p50 * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to drive traffic (default 10)")
    parser.add_argument("--rate", type=float, default=4.0, help="messages per second (default 4)")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight at most (default 4)")
    parser.add_argument("--every", type=float, default=15.0, help="seconds between memory samples (default 15)")
    parser.add_argument("--warmup-minutes", type=float, default=None,
                        help="samples before this are left out of the growth figure (default: a fifth of the run)")
    parser.add_argument("--senders", type=int, default=0,
                        help="reuse a pool of this many senders (default 0: every conversation from a new sender)")
    parser.add_argument("--url", default="", help="a running product's Rasa server (default: start one)")
    parser.add_argument("--pid", type=int, default=0, help="with --url: the pid of its `doula run`")
    args = parser.parse_args(argv)

    process = None
    if args.url:
        if not args.pid:
            parser.error("--url needs --pid (the `doula run` whose processes to sample)")
        url, root = args.url.rstrip("/"), args.pid
    else:
        workdir = Path(tempfile.mkdtemp(prefix="doula-soak-"))
        print(f"starting doula run --no-train (embedded) in {workdir} ...", flush=True)
        process, url = start_product(workdir)
        root = process.pid
    who = f"a pool of {args.senders} senders" if args.senders else "a new sender per conversation"
    print(f"soak: {args.minutes:g} min at {args.rate:g} msg/s against {url} ({who}); memory every {args.every:g} s",
          flush=True)
    rows: list[tuple] = []
    traffic = Traffic()
    try:
        async def run() -> None:
            until = time.monotonic() + args.minutes * 60
            await asyncio.gather(drive(url, args.rate, until, args.concurrency, traffic, args.senders),
                                 sample(root, args.every, until, traffic, rows))

        asyncio.run(run())
    finally:
        if process is not None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    warmup = args.warmup_minutes if args.warmup_minutes is not None else args.minutes / 5
    report(rows, warmup * 60, traffic)
    return 0


if __name__ == "__main__":
    sys.exit(main())
