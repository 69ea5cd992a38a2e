"""`make bench`: the synthetic corpus in a database of its own, the app as `make serve` runs it
(with the rate limits lifted by bench/settings.py), wrk through the scenarios B1-B5 of
docs/benchmarks.md, pgbench for the vote transaction's ceiling; the table goes to
docs/benchmarks.md.

Environment: DURATION (seconds per scenario, default 12, run in ROUNDS rounds, default 3,
taken in turn with the other scenarios), SOAK (seconds of the mixed soak,
default 60; SOAK=600 for the ten minutes of B5), BENCH_PORT (8765), CONNECTIONS (8),
BENCH_DATABASE (tegenspraak_bench), WORKERS (one per core) and WORKER_CLASS (sync) as `make
serve`, or gthread with THREADS threads to compare.
"""

import contextlib
import os
import platform
import re
import secrets
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
DURATION = int(os.environ.get("DURATION", "12"))
SOAK = int(os.environ.get("SOAK", "60"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "8"))
# One a core it may run on, as `nproc` counts them for `make serve`.
WORKERS = int(os.environ.get("WORKERS", str(len(os.sched_getaffinity(0)))))
# sync (as `make serve`), or gthread with THREADS threads a worker, to compare the two
WORKER_CLASS = os.environ.get("WORKER_CLASS", "sync")
# gunicorn makes a sync worker given more than one thread a gthread worker: one for sync.
THREADS = os.environ.get("THREADS", "4" if WORKER_CLASS == "gthread" else "1")
SOCKET_DIR = os.path.realpath(ROOT / "var" / "postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "tegenspraak_bench")
PG_BIN = next(
    (p for p in sorted(Path("/usr/lib/postgresql").glob("*/bin")) if (p / "pgbench").exists()),
    None,
)

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": f"postgresql://postgres@/{DATABASE}?host={SOCKET_DIR}",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-production-secret-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "ERROR",
}


def run(*command: str, **kwargs) -> str:
    done = subprocess.run(command, env=ENV, cwd=ROOT, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def psql(sql: str, database: str = DATABASE) -> str:
    return run(str(PG_BIN / "psql"), "-h", SOCKET_DIR, "-U", "postgres", "-Atqc", sql, database)


def prepare() -> None:
    if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'", "postgres"):
        psql(f"CREATE DATABASE {DATABASE}", "postgres")
    run(PY, "manage.py", "migrate", "--noinput", "--verbosity", "0")
    print(run(PY, "manage.py", "bench_data").strip())
    run(PY, "manage.py", "collectstatic", "--noinput", "--verbosity", "0")
    settle()


def settle() -> None:
    """Nothing left over to run beside the scenarios: the tables vacuumed and analysed (else
    autovacuum would, after the data's generation or a last run's soak, in the middle of B1), a
    checkpoint written, and a standby (`bin/localdb replica`) caught up with the primary."""
    psql("VACUUM (ANALYZE)")
    psql("CHECKPOINT")
    for _ in range(120):
        behind = psql(
            "SELECT count(*) FROM pg_stat_replication WHERE replay_lsn < pg_current_wal_lsn()",
            "postgres",
        )
        if behind.strip() == "0":
            return
        time.sleep(0.5)


def member_session() -> dict:
    """A session for one benchmark member, and a CSRF secret for its cookie and header."""
    os.environ.update(ENV)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username="bench-member-00000")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    token = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
    return {"cookie": f"sessionid={session.session_key}; csrftoken={token}", "csrf": token}


def ids(slug: str, limit: int) -> list[int]:
    from debates.models import Debate, arguments_reaching

    thesis = Debate.objects.get(slug=slug).thesis_id
    return sorted(arguments_reaching(thesis))[:limit]


class Server:
    def __enter__(self):
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
             "--workers", str(WORKERS), "--worker-class", WORKER_CLASS, "--threads", THREADS,
             "--error-logfile", "-",
             "--log-level", "error"],
            env=ENV, cwd=ROOT, start_new_session=True,
        )  # fmt: skip
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/healthz", timeout=1)
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        sys.exit("bench: the server did not start")

    def workers_rss(self) -> list[int]:
        """Resident memory (kB) of each worker."""
        out = subprocess.run(
            ["ps", "--ppid", str(self.process.pid), "-o", "rss="], capture_output=True, text=True
        ).stdout
        return [int(line) for line in out.split()]

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk(path: str, script: str = "", seconds: int = DURATION) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, BASE + path], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", out)
    slowest = re.search(r"Latency(?:\s+\S+){2}\s+([\d.]+)(us|ms|s|m)\b", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"server_errors=(\d+)", out)
    return {
        "rps": rps,
        "p99": float(p99.group(1)) * UNIT[p99.group(2)] if p99 else float("nan"),
        "max": float(slowest.group(1)) * UNIT[slowest.group(2)] if slowest else float("inf"),
        "non2xx": int(bad.group(1)) if bad else 0,
        "5xx": int(errors.group(1)) if errors else 0,
        "out": out,
    }


ROUNDS = int(os.environ.get("ROUNDS", "3"))


def rounds(scenarios: dict[str, tuple[str, str]]) -> dict[str, list[dict]]:
    """Each scenario (name: path, wrk script) run ROUNDS times, in turn with the others, its
    DURATION split among the rounds: on a shared machine whose speed drifts over minutes, a
    ratio taken within a round compares like with like."""
    results: dict[str, list[dict]] = {name: [] for name in scenarios}
    for _ in range(ROUNDS):
        for name, (path, script) in scenarios.items():
            results[name].append(wrk(path, script, max(2, DURATION // ROUNDS)))
    return results


def median(runs: list[dict]) -> float:
    return statistics.median(r["rps"] for r in runs)


def ratio(runs: list[dict], baseline: list[dict]) -> float:
    """The median over the rounds of this scenario's rate to the baseline's in the round."""
    return statistics.median(r["rps"] / b["rps"] for r, b in zip(runs, baseline, strict=True))


LUA_COMMON = r"""
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
server_errors = 0
function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("server_errors") end
  io.write("server_errors=" .. total .. "\n")
end
"""


def lua(directory: str, name: str, body: str) -> str:
    path = Path(directory) / f"{name}.lua"
    path.write_text(LUA_COMMON + body)
    return str(path)


def scripts(directory: str, session: dict, vote_ids: list[int], words: list[str]) -> dict:
    ids_lua = "{" + ",".join(map(str, vote_ids)) + "}"
    # Percent-encoded: gunicorn answers a raw "patiënt" in the request line with 400.
    words_lua = "{" + ",".join(f'"{quote(w)}"' for w in words) + "}"
    member_headers = (
        f'wrk.headers["Cookie"] = "{session["cookie"]}"\n'
        f'wrk.headers["X-CSRFToken"] = "{session["csrf"]}"\n'
    )
    vote = f"""
{member_headers}
local ids = {ids_lua}
local values = {{"up", "down", "clear"}}
function init(args) math.randomseed(id * 7919) end
local posting = {{["HX-Request"] = "true", ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Cookie"] = wrk.headers["Cookie"], ["X-CSRFToken"] = wrk.headers["X-CSRFToken"]}}
function vote_request()
  local path = "/arguments/" .. ids[math.random(#ids)] .. "/vote/"
  return wrk.format("POST", path, posting, "value=" .. values[math.random(#values)])
end
"""
    words_part = f"local words = {words_lua}\n"
    floor = (
        'request = function() return wrk.format("POST", "/bench/floor/", posting, "value=up") end\n'
    )
    return {
        "member": lua(directory, "member", member_headers),
        "vote": lua(directory, "vote", vote + "request = vote_request\n"),
        "floor": lua(directory, "floor", vote + floor),
        "search": lua(
            directory,
            "search",
            words_part + "function init(args) math.randomseed(id * 31) end\n"
            'request = function() return wrk.format("GET", "/search/?q=" .. '
            "words[math.random(#words)]) end\n",
        ),
        "soak": lua(
            directory,
            "soak",
            vote
            + words_part
            + r"""
local reads = {"/debates/bench-1k/", "/debates/", "/healthz", "/debates/bench-small-1/"}
local posted = 0
request = function()
  local r = math.random(100)
  if r <= 90 then
    return wrk.format("GET", reads[math.random(#reads)])
  elseif r <= 98 then
    return vote_request()
  end
  posted = posted + 1
  local text = "Soak " .. id .. "-" .. posted .. "-" .. math.random(1000000000) .. " " ..
    words[math.random(#words)] .. " " .. words[math.random(#words)]
  return wrk.format("POST", "/arguments/" .. ids[math.random(#ids)] .. "/replies/", posting,
    "relation=attack&text=" .. text:gsub(" ", "+"))
end
""",
        ),
    }


def pgbench(vote_ids: list[int]) -> float:
    """PostgreSQL's own rate for the vote transaction (lock the argument, upsert the vote,
    change its counter), on copies of the two tables so the real counters stay as they are."""
    psql(
        "DROP TABLE IF EXISTS bench_ceiling_vote, bench_ceiling_argument;"
        "CREATE TABLE bench_ceiling_argument AS SELECT id, up_votes, down_votes "
        "FROM debates_argument;"
        "ALTER TABLE bench_ceiling_argument ADD PRIMARY KEY (id);"
        "CREATE TABLE bench_ceiling_vote (LIKE debates_vote INCLUDING ALL);"
    )
    script = f"""\\set a random({min(vote_ids)}, {max(vote_ids)})
\\set u random(1, 1000000)
BEGIN;
SELECT up_votes FROM bench_ceiling_argument WHERE id = :a FOR NO KEY UPDATE;
INSERT INTO bench_ceiling_vote (user_id, argument_id, value, created_at, updated_at)
  VALUES (:u, :a, 1, now(), now())
  ON CONFLICT (user_id, argument_id) DO UPDATE SET value = -bench_ceiling_vote.value;
UPDATE bench_ceiling_argument SET up_votes = up_votes + 1 WHERE id = :a;
END;
"""
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as file:
        file.write(script)
    command = [str(PG_BIN / "pgbench"), "-h", SOCKET_DIR, "-U", "postgres", "-n", "-f", file.name,
               "-c", str(CONNECTIONS), "-j", "2", "-T", str(DURATION), DATABASE]  # fmt: skip
    out = run(*command)
    psql("DROP TABLE bench_ceiling_vote, bench_ceiling_argument")
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def strength_ms() -> float:
    out = run(PY, "manage.py", "bench_strength", "--arguments", "10000", "--runs", "5")
    return float(re.search(r"([\d.]+)\s*ms", out).group(1))


def counters_exact() -> bool:
    done = subprocess.run(
        [PY, "manage.py", "verify_counts"], env=ENV, cwd=ROOT, capture_output=True, text=True
    )
    return done.returncode == 0


def main() -> None:
    if PG_BIN is None:
        sys.exit("bench: pgbench not found (Debian: postgresql-15)")
    started = datetime.now(UTC)
    prepare()
    session = member_session()
    vote_ids = ids("bench-1k", 1000)
    from debates.management.commands.bench_data import WORDS

    rows, notes = [], []

    def row(name, value, baseline, target, ok):
        rows.append((name, value, baseline, target, "yes" if ok else "**no**"))
        print(f"{name}: {value} ({baseline}) target {target}: {'ok' if ok else 'MISSED'}")

    with tempfile.TemporaryDirectory() as directory, Server() as server:
        lua_files = scripts(directory, session, vote_ids, WORDS)
        # Warm up: every worker renders each page once (each keeps its own cache).
        # Until no request of a round is slow: the other worker may still be laying out the map
        # (Graphviz, seconds) when a round ends, and would run beside the next scenario.
        paths = ["/healthz", "/debates/", "/debates/bench-1k/", "/debates/bench-10k/",
                 "/debates/bench-1k/map/"]  # fmt: skip
        for path in paths:
            urllib.request.urlopen(BASE + path, timeout=300).read()  # the map's layout first
        for _round in range(20):
            warm = [wrk(path, seconds=2) for path in paths]
            warm.append(wrk("/debates/bench-1k/", lua_files["member"], seconds=2))
            if max(r["max"] for r in warm) < 500:
                break
        reads = rounds(
            {
                "health": ("/healthz", ""),
                "listing": ("/debates/", ""),
                "page": ("/debates/bench-1k/", ""),
                "member_page": ("/debates/bench-1k/", lua_files["member"]),
                "big": ("/debates/bench-10k/", ""),
                "map_page": ("/debates/bench-1k/map/", ""),
                "search": ("/", lua_files["search"]),
            }
        )
        # The writes last: each vote moves the versions, and the pages render anew.
        writes = rounds(
            {
                "health": ("/healthz", ""),
                "floor": ("/", lua_files["floor"]),
                "votes": ("/", lua_files["vote"]),
            }
        )
        ceiling = pgbench(vote_ids)
        health, listing, page = reads["health"], reads["listing"], reads["page"]
        member_page, big, map_page = reads["member_page"], reads["big"], reads["map_page"]
        search, votes = reads["search"], writes["votes"]
        notes.append(
            f"Each scenario ran in {ROUNDS} rounds of {DURATION // ROUNDS} s, in turn with the "
            "others (a drift in the machine's speed meets a scenario and its baseline alike); a "
            "ratio is the median of the rounds' ratios, a rate the median round. Per round, "
            "`/healthz` "
            + ", ".join(f"{r['rps']:.0f}" for r in health)
            + " req/s; the reader's page "
            + ", ".join(f"{r['rps']:.0f}" for r in page)
            + "; search p99 "
            + ", ".join(f"{r['p99']:.1f}" for r in search)
            + " ms; with the votes `/healthz` "
            + ", ".join(f"{r['rps']:.0f}" for r in writes["health"])
            + ", the member's empty POST "
            + ", ".join(f"{r['rps']:.0f}" for r in writes["floor"])
            + ", votes "
            + ", ".join(f"{r['rps']:.0f}" for r in votes)
            + "."
        )
        hz = median(health)
        row("`/healthz` (baseline)", f"{hz:.0f} req/s", "1", "", True)
        row("`/debates/` (12 rows)", f"{median(listing):.0f} req/s",
            f"{ratio(listing, health):.3f} × healthz", "", True)  # fmt: skip
        reader = ratio(page, health)
        row("B1 1,000-argument debate, reader", f"{median(page):.0f} req/s",
            f"{reader:.3f} × healthz", "≥ 0.25", reader >= 0.25)  # fmt: skip
        member = ratio(member_page, health)
        row("B1 1,000-argument debate, member", f"{median(member_page):.0f} req/s",
            f"{member:.3f} × healthz", "≥ 0.05", member >= 0.05)  # fmt: skip
        row("10,000-argument debate, reader", f"{median(big):.0f} req/s",
            f"{ratio(big, health):.3f} × healthz", "", True)  # fmt: skip
        to_list = median(votes) / median(listing)
        to_health = ratio(votes, writes["health"])
        row("B2 vote POST (HTMX, one member)", f"{median(votes):.0f} req/s",
            f"{to_list:.2f} × `/debates/`, {to_health:.3f} × healthz",
            "≥ 0.5 and ≥ 0.25", to_list >= 0.5 and to_health >= 0.25)  # fmt: skip
        row("B2 ceiling: pgbench, the same transaction", f"{ceiling:.0f} tps",
            f"app at {median(votes) / ceiling:.3f} of it", "", True)  # fmt: skip
        floor = ratio(writes["floor"], writes["health"])
        row("B2 floor: a member's POST that does nothing", f"{median(writes['floor']):.0f} req/s",
            f"{floor:.3f} × healthz; the vote {ratio(votes, writes['floor']):.2f} × it",
            "", True)  # fmt: skip
        exact = counters_exact()
        row("B2 counters equal the vote rows after the run", "yes" if exact else "no", "",
            "exact", exact)  # fmt: skip
        times = 1 / ratio(map_page, page)
        row("B3 map of the 1,000-argument debate", f"{median(map_page):.0f} req/s",
            f"{times:.2f} × the page's time", "≤ 3", times <= 3)  # fmt: skip
        ms = strength_ms()
        row("B3 strength of 10,000 arguments", f"{ms:.1f} ms", "", "≤ 100 ms", ms <= 100)
        p99 = statistics.median(r["p99"] for r in search)
        row("B4 search over 100,000 arguments", f"p99 {p99:.1f} ms",
            f"{median(search):.0f} req/s", "p99 ≤ 50 ms", p99 <= 50)  # fmt: skip
        # B5: the soak in segments, the first against the last.
        segment = max(5, min(60, SOAK // 4))
        memory_before = server.workers_rss()
        segments = [wrk("/", lua_files["soak"], segment) for _ in range(max(2, SOAK // segment))]
        memory_after = server.workers_rss()
    first, last = segments[0]["p99"], segments[-1]["p99"]
    errors = sum(s["5xx"] for s in segments)
    growth = statistics.mean(memory_after) - statistics.mean(memory_before)
    exact = counters_exact()
    ok = last <= 1.2 * first and errors == 0 and exact
    row(f"B5 soak {segment * len(segments)} s (90 % reads, 8 % votes, 2 % posts)",
        f"p99 first {first:.1f} ms, last {last:.1f} ms", f"{last / first:.2f} × the first",
        "≤ 1.2, no 5xx, counters exact", ok)  # fmt: skip
    notes.append(
        f"Soak: {errors} responses 5xx; worker memory {statistics.mean(memory_before) / 1024:.0f}"
        f" MB before, {statistics.mean(memory_after) / 1024:.0f} MB after "
        f"({growth / 1024:+.1f} MB); counters exact afterwards: {'yes' if exact else 'no'}."
    )
    write(started, rows, notes)


def write(started: datetime, rows: list, notes: list) -> None:
    command = " ".join(
        f"{key}={shlex.quote(os.environ[key])}"
        for key in (
            "DURATION",
            "ROUNDS",
            "SOAK",
            "CONNECTIONS",
            "WORKERS",
            "WORKER_CLASS",
            "THREADS",
        )
        if key in os.environ
    )
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, AttributeError):
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (bench/__main__.py; how it works: the end of this file).",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
        f"load average at the end {os.getloadavg()[0]:.1f}",
        f"- Command: `{(command + ' ') if command else ''}make bench`: gunicorn with {WORKERS} "
        f"{WORKER_CLASS} workers, wrk with {CONNECTIONS} connections for {DURATION} s a "
        f"scenario in {ROUNDS} rounds",
        "",
        "| scenario | measured | ratio | target | met |",
        "|---|---|---|---|---|",
        *(f"| {' | '.join(cells)} |" for cells in rows),
        "",
        *notes,
        "",
        Path(ROOT / "bench" / "ABOUT.md").read_text().strip(),
        "",
    ]
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines))
    print("written: docs/benchmarks.md")


if __name__ == "__main__":
    main()
