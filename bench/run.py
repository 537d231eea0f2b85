"""`make bench`: figures on a million generated persons in SQLite and in PostgreSQL.

For each database the generator makes BENCH_FAMILIES families (214,000 give about a
million persons) into a database KEPT under bench/data/ (outside git), so a rerun starts
measuring at once; it is made again only when the generator's code changes, the size
asked for changes, or BENCH_REBUILD=1. Generation is not timed. PostgreSQL runs from the
Debian server binaries on a data directory in bench/data/pg, on loopback, and is stopped
at the end; without them it is skipped, saying why.

The measurements run in bench/measure.py, one process per database with DATABASE_URL set:
person search p50/p95/max, the household chronology page for a family with 2,000 events,
the work lists (a team manager's home page for a team of 2,000 open cases and the largest),
`earlyhelp subject export` of a child in that family,
create-contact throughput, and the audit trail (`audit verify` over a million events,
added once to the kept database; the cost of record(); the person page with auditing and
with record() a no-op). Then bench/retention.py times `earlyhelp retention plan` over every
person and `earlyhelp retention dispose` of 100,000 of them, each a process with its peak
memory, on a scratch copy of the kept database dropped after (the kept one is never planned
into nor destroyed). Figures are printed as a table and saved as JSON under bench/results/
with the machine and the database versions. Benchmarks measure; tests assert. Nothing here
is a pass/fail check.

Environment:
  BENCH_FAMILIES            families in each kept database (default 214000)
  BENCH_DATA                the folder of the kept databases (default bench/data); a small
                            trial (BENCH_FAMILIES=2000) kept elsewhere leaves the million alone
  BENCH_DATABASES           which to measure, comma-separated (default sqlite,postgresql)
  BENCH_REBUILD=1           make the kept databases again
  BENCH_AUDIT_EVENTS        audit events kept in each database for the verify figure
                            (default 1000000; added once, not timed)
  BENCH_GENERATOR=1         also time the generator: BENCH_GENERATOR_FAMILIES (default
                            100000) families into a fresh temporary SQLite database; about
                            five minutes, so it is off by default
  BENCH_EXTRACTS=0          leave out bench/extracts.py (`earlyhelp pseudonymise` on 1M and
                            10M-row SSDA903 returns beside liiatools; its own settings there)
  BENCH_REDACTION=0         leave out bench/redaction.py (proposing redactions in generated
                            case notes beside Microsoft Presidio; its own settings there)
  BENCH_RETENTION=0         leave out bench/retention.py (the retention plan and disposal
                            figures; BENCH_RETENTION_THROUGH and BENCH_RETENTION_PEOPLE there)
  BENCH_ONLY=retention      only the retention figures (and the database's counts);
  BENCH_ONLY=search|bundle  only person search and recall, or only the subject access bundle.
                            Any BENCH_ONLY leaves out the extracts and redaction benchmarks.
"""

import contextlib
import functools
import json
import os
import platform
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from process import run  # bench/process.py
from redaction import bench_redaction  # bench/redaction.py, beside this file

from extracts import bench_extracts  # bench/extracts.py, beside this file
from retention import bench_retention, retention_rows  # bench/retention.py

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
EARLYHELP = str(Path(sys.executable).parent / "earlyhelp")
RESULTS = ROOT / "bench" / "results"
DATA = Path(os.environ.get("BENCH_DATA") or ROOT / "bench" / "data").resolve()
MEASURE = ROOT / "bench" / "measure.py"
SEED = 1
AS_OF = "2026-11-25"
PG_PORTS = range(54330, 54350)
# Server settings for the measurements; the build adds ones that only speed up loading.
PG_SETTINGS = {"shared_buffers": "1GB", "effective_cache_size": "4GB"}
PG_BUILD_SETTINGS = {**PG_SETTINGS, "synchronous_commit": "off", "max_wal_size": "8GB"}


def machine() -> dict[str, Any]:
    model, memory_kib = "unknown", 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(memory_kib / 1024**2, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


@functools.cache
def generator_fingerprint() -> str:
    """A digest of what the generator makes: a kept database made otherwise is made again."""
    _, _, output = run([PYTHON, str(MEASURE), "--fingerprint", str(SEED), AS_OF], dict(os.environ))
    return output.strip()


# -- the generator's own throughput ------------------------------------------------------------


def bench_generate(families: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        run([EARLYHELP, "migrate", "--no-input", "-v0"], env)
        seconds, peak, output = run(
            [EARLYHELP, "generate", "--families", str(families), "--seed", str(SEED), "-v0",
             "--as-of", AS_OF],
            env,
        )  # fmt: skip
    counts = {}
    for line in output.splitlines():
        name, _, number = line.strip().rpartition(" ")
        if line.startswith("  ") and number.replace(",", "").isdigit():
            counts[name.strip()] = int(number.replace(",", ""))
    rows = sum(
        count
        for name, count in counts.items()
        if not name.startswith(("shape:", "with ", "children ", "people living", "open "))
    )
    return {
        "families": families,
        "people": counts.get("people", 0),
        "rows": rows,
        "seconds": round(seconds, 1),
        "families_per_second": round(families / seconds),
        "people_per_second": round(counts.get("people", 0) / seconds),
        "rows_per_second": round(rows / seconds),
        "peak_rss_mib": round(peak),
        "counts": counts,
    }


# -- the kept databases --------------------------------------------------------------------------


class KeptDatabase(ABC):
    """A database kept under bench/data between runs, with a note of what made it."""

    name = ""
    label = ""

    def __init__(self) -> None:
        self.state_file = DATA / f"{self.name}.json"

    def unavailable(self) -> str | None:
        """Why this database cannot be measured here, or None."""
        return None

    @abstractmethod
    def start(self, building: bool = False) -> None:
        """Make the database reachable at url(); `building` while it is being generated."""

    @abstractmethod
    def stop(self) -> None:
        """Stop whatever start() started."""

    @abstractmethod
    def exists(self) -> bool:
        """Whether the kept database is there."""

    @abstractmethod
    def wipe(self) -> None:
        """Leave an empty database, ready to migrate."""

    @abstractmethod
    def url(self) -> str:
        """Its DATABASE_URL (while started)."""

    @abstractmethod
    def scratch_copy(self) -> contextlib.AbstractContextManager[dict[str, str]]:
        """A throwaway copy of the kept database (while started, nothing connected to it),
        for a benchmark that writes or destroys: yields the env() naming the copy, and
        removes the copy after."""

    def env(self) -> dict[str, str]:
        return dict(
            os.environ,
            DATABASE_URL=self.url(),
            DJANGO_SETTINGS_MODULE="earlyhelp.settings",
            # Each database's audit anchors apart, never the demo's: verify compares with them.
            EARLYHELP_AUDIT_ANCHOR_DIR=str(self.anchor_dir),
        )

    @property
    def anchor_dir(self) -> Path:
        return DATA / f"{self.name}-audit-anchors"

    def wanted_state(self, families: int) -> dict[str, Any]:
        return {
            "families": families,
            "seed": SEED,
            "as_of": AS_OF,
            "generator": generator_fingerprint(),
        }

    def built_state(self) -> dict[str, Any]:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}

    def why_rebuild(self, families: int) -> str | None:
        if os.environ.get("BENCH_REBUILD") == "1":
            return "BENCH_REBUILD=1"
        if not self.exists():
            return "no kept database yet"
        built = self.built_state()
        for key, value in self.wanted_state(families).items():
            if built.get(key) != value:
                return f"{key} changed since it was built"
        return None

    def prepare(self, families: int) -> dict[str, Any]:
        """Make sure the database is running, migrated and holds the families; say how."""
        reason = self.why_rebuild(families)
        if reason is None:
            self.start()
            run([EARLYHELP, "migrate", "--no-input", "-v0"], self.env())
            print(f"{self.label}: using the kept database ({families:,} families)", flush=True)
            return self.built_state()
        print(f"{self.label}: building the database ({reason}); not timed", flush=True)
        self.state_file.unlink(missing_ok=True)
        self.start(building=True)
        self.wipe()
        shutil.rmtree(self.anchor_dir, ignore_errors=True)  # they vouch for the old trail
        run([EARLYHELP, "migrate", "--no-input", "-v0"], self.env())
        seconds, _, _ = run(
            [EARLYHELP, "generate", "--families", str(families), "--seed", str(SEED),
             "--as-of", AS_OF],
            self.env(),
            quiet=False,
        )  # fmt: skip
        # Planner statistics, as autovacuum would gather them on a server in service.
        run([PYTHON, str(MEASURE), "--analyze"], self.env())
        state = {
            **self.wanted_state(families),
            "built_seconds": round(seconds),
            "built_at": datetime.now().isoformat(timespec="seconds"),
        }
        DATA.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps(state, indent=2) + "\n")
        self.stop()
        self.start()
        return state


class SQLiteDatabase(KeptDatabase):
    name = "sqlite"
    label = "SQLite"

    def __init__(self) -> None:
        super().__init__()
        self.path = DATA / "sqlite" / "earlyhelp.sqlite3"

    def start(self, building: bool = False) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)  # a file needs no server

    def stop(self) -> None:
        pass  # nothing runs between measurements

    def exists(self) -> bool:
        return self.path.exists()

    def wipe(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def url(self) -> str:
        return f"sqlite:///{self.path}"

    @contextlib.contextmanager
    def scratch_copy(self) -> Iterator[dict[str, str]]:
        import sqlite3

        with tempfile.TemporaryDirectory(dir=self.path.parent, prefix="scratch-") as folder:
            copy = Path(folder) / self.path.name
            # The backup API copies a consistent database, whatever the write-ahead log holds.
            source, target = sqlite3.connect(self.path), sqlite3.connect(copy)
            with contextlib.closing(source), contextlib.closing(target):
                source.backup(target)
            yield dict(self.env(), DATABASE_URL=f"sqlite:///{copy}")


class PostgresDatabase(KeptDatabase):
    """A PostgreSQL server of Debian's binaries on a data directory in bench/data/pg."""

    name = "postgresql"
    label = "PostgreSQL"
    database = "earlyhelp"

    def __init__(self) -> None:
        super().__init__()
        self.data = DATA / "pg"
        self.bin = self.find_binaries()
        self.port = 0

    @staticmethod
    def find_binaries() -> Path | None:
        found = [
            path
            for path in Path("/usr/lib/postgresql").glob("*/bin")
            if all((path / tool).exists() for tool in ("postgres", "initdb", "pg_ctl"))
        ]
        found.sort(key=lambda path: [int(p) for p in path.parent.name.split(".") if p.isdigit()])
        return found[-1] if found else None

    def unavailable(self) -> str | None:
        if self.bin is None:
            return (
                "no PostgreSQL server binaries under /usr/lib/postgresql "
                "(Debian's postgresql package is not installed)"
            )
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root but there is no postgres user to run the server as"
        return None

    def as_owner(self, args: list[str]) -> list[str]:
        """The server refuses to run as root: as root, run it as the postgres user."""
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *args]
        return args

    def pg(self, tool: str, *args: str, quiet: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - the server's own tools, no shell
            self.as_owner([str(self.bin / tool), *args]),
            capture_output=quiet,
            text=True,
            check=False,
        )

    def exists(self) -> bool:
        return (self.data / "PG_VERSION").exists() and self.state_file.exists()

    def initialise(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self.data.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        done = self.pg(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C",
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"initdb failed:\n{done.stdout}\n{done.stderr}")

    def running(self) -> bool:
        return self.pg("pg_ctl", "-D", str(self.data), "status").returncode == 0

    def start(self, building: bool = False) -> None:
        self.initialise()
        if self.running():  # left running by an interrupted run
            self.stop()
        self.port = free_port()
        settings = PG_BUILD_SETTINGS if building else PG_SETTINGS
        options = " ".join(f"-c {key}={value}" for key, value in settings.items())
        done = self.pg(
            "pg_ctl", "-D", str(self.data), "-w", "-t", "120", "-l",
            str(self.data / "server.log"), "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.data} {options}", "start",
        )  # fmt: skip
        if done.returncode != 0:
            log = (self.data / "server.log").read_text()[-2000:]
            raise SystemExit(f"PostgreSQL did not start:\n{done.stdout}\n{done.stderr}\n{log}")
        self.ensure_database()

    def stop(self) -> None:
        if self.bin is not None and self.running():
            self.pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def admin(self, *statements: str) -> list[tuple]:
        """Run statements on the server's maintenance database; the last one's rows."""
        import psycopg
        from psycopg import sql

        name = sql.Identifier(self.database)
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            rows: list[tuple] = []
            for statement in statements:
                query = sql.SQL(statement).format(name=name)
                params = {"name": self.database} if "%(name)s" in statement else None
                cursor = connection.execute(query, params)
                rows = cursor.fetchall() if cursor.description else []
            return rows

    def ensure_database(self) -> None:
        if not self.admin("SELECT 1 FROM pg_database WHERE datname = %(name)s"):
            self.admin("CREATE DATABASE {name}")

    def wipe(self) -> None:
        self.admin("DROP DATABASE IF EXISTS {name} WITH (FORCE)", "CREATE DATABASE {name}")

    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    @contextlib.contextmanager
    def scratch_copy(self) -> Iterator[dict[str, str]]:
        scratch = f"{self.database}_scratch"
        drop = f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'
        # FILE_COPY copies the files at a checkpoint: for a database of gigabytes much
        # quicker than logging every page (the default since PostgreSQL 15).
        self.admin(drop, f'CREATE DATABASE "{scratch}" TEMPLATE {{name}} STRATEGY FILE_COPY')
        try:
            yield dict(
                self.env(), DATABASE_URL=f"postgres://postgres@127.0.0.1:{self.port}/{scratch}"
            )
        finally:
            self.admin(drop)


def free_port() -> int:
    for port in PG_PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port for PostgreSQL in {PG_PORTS.start}-{PG_PORTS.stop - 1}")


def bench_database(database: KeptDatabase, families: int, retention: bool) -> dict[str, Any]:
    reason = database.unavailable()
    if reason:
        print(f"{database.label}: skipped, {reason}", flush=True)
        return {"skipped": reason}
    try:
        built = database.prepare(families)
        print(f"{database.label}: measuring", flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            run([PYTHON, str(MEASURE), out.name], database.env(), quiet=False)
            figures = json.loads(Path(out.name).read_text())
        if retention:
            figures["retention"] = bench_retention(database)
    finally:
        database.stop()
    figures["built"] = {k: built.get(k) for k in ("built_seconds", "built_at", "families")}
    return figures


# -- the report ----------------------------------------------------------------------------------


def cell(figures: dict[str, Any], *path: str) -> str:
    value: Any = figures
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return "-"
        value = value[key]
    return f"{value:,}" if isinstance(value, int) else str(value)


def timing(figures: dict[str, Any], section: str) -> str:
    part = figures.get(section, {})
    if "error" in part:
        return "not run"
    if "p50_ms" not in part:
        return "-"
    return f"{part['p50_ms']} / {part['p95_ms']} / {part['max_ms']}"


def audit_rows(databases: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """The audit trail's lines of the table (bench/measure.py bench_audit)."""

    def each(show) -> list[str]:
        values = []
        for figures in databases.values():
            part = figures.get("audit", {})
            try:
                values.append(show(part))
            except (KeyError, TypeError, ZeroDivisionError):
                values.append("not run" if "error" in part else "-")
        return values

    def page(kind: str):
        return lambda a: "{p50_ms} / {p95_ms} / {max_ms}".format(**a["page"][kind])

    return [
        ("audit verify: events", "1,000,000", each(lambda a: f"{a['verify']['events']:,}")),
        (
            "audit verify: s (events/s)",
            "< 15",
            each(lambda a: f"{a['verify']['seconds']} ({a['verify']['events_per_second']:,})"),
        ),
        (
            "audit record() mean / p95 ms",
            "",
            each(lambda a: f"{a['record']['mean_ms']} / {a['record']['p95_ms']}"),
        ),
        ("person page, audited p50/p95/max", "", each(page("audited"))),
        ("person page, record() a no-op", "", each(page("not_audited"))),
        (
            "auditing's cost a page, p50 ms",
            "",
            each(lambda a: f"{a['page']['cost_p50_ms']} ({a['page']['events_a_request']} ev)"),
        ),
    ]


def bundle_sizes(databases: dict[str, Any], names: list[str]) -> list[str]:
    """ "passages / proposals / pages" of the subject access bundle, per database."""
    found = []
    for name in names:
        bundle = databases[name].get("bundle", {})
        parts = [bundle.get(k) for k in ("items", "proposals", "pages")]
        found.append(" / ".join(f"{p:,}" for p in parts) if None not in parts else "-")
    return found


def print_table(record: dict[str, Any]) -> None:
    databases = record["databases"]
    names = list(databases)
    heads = []
    for name in names:
        info = databases[name].get("database", {})
        heads.append(f"{info.get('engine', name)} {info.get('version', '')}".strip())

    def cells(*path: str) -> list[str]:
        return [cell(databases[name], *path) for name in names]

    def timings(section: str) -> list[str]:
        return [timing(databases[name], section) for name in names]

    rows = [
        ("persons", "", cells("dataset", "persons")),
        ("contacts in the database", "", cells("dataset", "contacts")),
        ("search p50 / p95 / max ms", "p95 < 50", timings("search")),
        *recall_rows(databases, names),
        ("chronology p50 / p95 / max ms", "< 200", timings("chronology")),
        ("chronology events", "2,000", cells("chronology", "events")),
        *caseload_rows(databases, names),
        ("queries a chronology page", "", cells("chronology", "queries_a_request")),
        ("subject export p50 / p95 / max ms", "< 2000", timings("subject_export")),
        ("subject export rows", "", cells("subject_export", "rows")),
        ("subject access bundle, s (make+decide+PDF)", "< 30", cells("bundle", "seconds")),
        ("bundle passages / proposals / pages", "", bundle_sizes(databases, names)),
        ("record contact, contacts/s", "", cells("record_contact", "contacts_per_second")),
        *audit_rows(databases),
        ("extract liia from the records, s", "", cells("extract", "seconds")),
        ("extract liia rows", "", cells("extract", "rows")),
        *retention_rows(databases),
    ]
    width = max(len(label) for label, _, _ in rows) + 2
    columns = [max(len(h), 24) + 2 for h in heads]
    m = record["machine"]
    print()
    print(f"Machine: {m['cpus']} CPUs, {m['cpu_model']}, {m['memory_gib']} GiB")
    print(
        f"{'':<{width}}{'target':<10}"
        + "".join(f"{h:<{c}}" for h, c in zip(heads, columns, strict=True))
    )
    for label, target, values in rows:
        line = f"{label:<{width}}{target:<10}"
        line += "".join(f"{v:<{c}}" for v, c in zip(values, columns, strict=True))
        print(line)
    for name in names:
        figures = databases[name]
        if "skipped" in figures:
            print(f"{name}: skipped, {figures['skipped']}")
        for section in (
            "search",
            "search_recall",
            "chronology",
            "caseload",
            "subject_export",
            "bundle",
            "record_contact",
            "audit",
            "retention",
        ):
            error = figures.get(section, {}).get("error")
            if error:
                print(f"{name} {section}: {error}")
        audit = figures.get("audit", {})
        for problem in (audit.get("verify", {}).get("problem"), audit.get("page", {}).get("error")):
            if problem:
                print(f"{name} audit: {problem}")
    generator = record.get("generator")
    if generator:
        print(
            f"generator (fresh SQLite): {generator['families']:,} families, "
            f"{generator['people']:,} people, {generator['rows']:,} rows in "
            f"{generator['seconds']} s: {generator['families_per_second']:,} families/s, "
            f"{generator['people_per_second']:,} people/s, peak {generator['peak_rss_mib']} MiB"
        )


def recall_rows(databases: dict[str, Any], names: list[str]) -> list[tuple]:
    """Search recall within the top ten: overall, then per kind of slip, as "name alone /
    with date of birth", and the time of those searches."""

    def recall(figures: dict[str, Any]) -> str:
        if "recall_name_alone" not in figures:
            return "not run" if "error" in figures else "-"
        return f"{figures['recall_name_alone']:.1%} / {figures['recall_name_and_dob']:.1%}"

    recalls = [databases[n].get("search_recall", {}) for n in names]
    rows = [
        ("recall top 10: name / +date of birth", "95%/99%", [recall(r) for r in recalls]),
        (
            "  recall searches p50 / p95 / max ms",
            "p95 < 50",
            [timing(databases[n], "search_recall") for n in names],
        ),
    ]
    kinds = dict.fromkeys(k for r in recalls for k in r.get("by_kind", {}))
    for kind in kinds:
        rows.append(
            (
                f"  {kind} (n)",
                "90%/99%",
                [
                    f"{recall(r['by_kind'][kind])} ({r['by_kind'][kind]['n']})"
                    if kind in r.get("by_kind", {}) and r["by_kind"][kind].get("n")
                    else "-"
                    for r in recalls
                ],
            )
        )
    return rows


def caseload_rows(databases: dict[str, Any], names: list[str]) -> list[tuple]:
    """The work list figures: per measured team, its open cases and the manager's home page
    and slowest list; then the busiest practitioner's home page."""

    def page(figures: dict[str, Any]) -> str:
        if "error" in figures:
            return "error"
        return f"{figures['p50_ms']} / {figures['p95_ms']} / {figures['max_ms']}"

    rows = []
    for index, label in enumerate(("team nearest 2,000 open cases", "largest team")):
        teams = [databases[n].get("caseload", {}).get("teams", []) for n in names]
        if not any(len(t) > index for t in teams):
            continue
        at = [t[index] if len(t) > index else {} for t in teams]
        rows.append((f"{label}: open cases", "", [str(a.get("open_cases", "")) for a in at]))
        rows.append(
            (
                "  manager home p50 / p95 / max ms",
                "< 300",
                [page(a.get("home", {"error": 1})) for a in at],
            )
        )
        rows.append(
            (
                "  no-contact list p50 / p95 / max ms",
                "< 300",
                [page(a.get("no_recent_contact_by_last_contact", {"error": 1})) for a in at],
            )
        )
    busiest = [databases[n].get("caseload", {}).get("practitioner") for n in names]
    if any(busiest):
        rows.append(
            (
                "practitioner home p50 / p95 / max ms",
                "< 300",
                [page(b["home"]) if b else "" for b in busiest],
            )
        )
    return rows


def main() -> None:
    families = int(os.environ.get("BENCH_FAMILIES", "214000"))
    wanted = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    only = os.environ.get("BENCH_ONLY", "")
    retention = os.environ.get("BENCH_RETENTION") != "0" and only in ("", "retention")
    record: dict[str, Any] = {
        "when": datetime.now().strftime("%Y%m%dT%H%M%S"),
        "machine": machine(),
    }
    if os.environ.get("BENCH_GENERATOR") == "1":
        count = int(os.environ.get("BENCH_GENERATOR_FAMILIES", "100000"))
        print(f"generator: {count:,} families into a fresh SQLite database", flush=True)
        record["generator"] = bench_generate(count)
    databases: dict[str, Any] = {}
    for database in (SQLiteDatabase(), PostgresDatabase()):
        if database.name in wanted:
            databases[database.name] = bench_database(database, families, retention)
    record["databases"] = databases
    print_table(record)
    if os.environ.get("BENCH_EXTRACTS") != "0" and not only:
        record["extracts"] = bench_extracts()
    if os.environ.get("BENCH_REDACTION") != "0" and not only:
        record["redaction"] = bench_redaction()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{record['when']}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
