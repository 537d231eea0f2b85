"""`make mutation`: mutation testing of the modules that decide who sees what and what leaves.

Each group of modules is mutated by mutmut against its own tests, in a copy of the work tree
under build/mutation/<group>/, so the shared tree is never touched. The copy gets its own
keys and a migrated template database; bench/mutation_conftest.py, copied in as its root
conftest, gives every pytest session mutmut starts a private copy of that database instead
of running the migrations again. The score per module and every mutant the tests did not
kill (file, line, the change) are printed; the figures are saved to
bench/results/mutation-<timestamp>.json.

    .venv/bin/python bench/mutation.py                 # every group
    .venv/bin/python bench/mutation.py access policy   # some groups
    .venv/bin/python bench/mutation.py --from-head     # mutate HEAD, not the work tree
    .venv/bin/python bench/mutation.py --again access  # rerun only what was not killed

`--again` keeps a group's earlier copy and verdicts: it copies in the files that changed
since (a changed function's mutants are made and run anew), and runs the mutants not yet
run or not killed; a mutant already killed stays killed. It is how a survivor is checked
after a test is added, in minutes rather than the hours a whole group can take.

Not part of `make test` or CI.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "mutation"
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
CONFTEST = ROOT / "bench" / "mutation_conftest.py"

# Every pytest run mutmut makes: no browser journeys, no cache written into the copy, and
# the per-process database and Hypothesis profile of mutation_conftest.py, so that a mutant's
# verdict does not depend on the examples drawn. mutmut adds -x itself.
PYTEST_ARGS = [
    "-p",
    "no:cacheprovider",
    "-m",
    "not browser",
    "--reuse-db",
    "--hypothesis-profile=mutation",
]


@dataclass(frozen=True)
class Group:
    modules: tuple[str, ...]
    tests: tuple[str, ...]
    # Tests that read a module's source text: mutmut's rewritten file fails them whatever
    # the mutant, so they say nothing about the mutants.
    ignore: tuple[str, ...] = ()
    # Where each mutant's tests run from. "forkserver": a process that has imported none of
    # earlyhelp, so code that runs as modules load runs mutated too (the guards wrap views
    # then), about 3 s a mutant. "fork": mutmut's own process, which has run the tests once
    # already: far faster, but code run at import or cached then stays unmutated, so a
    # mutant there can only be reported as surviving; its timeouts run again from the
    # fork server, as a hung child (Polars) would time out too.
    isolation: str = "fork"


GROUPS: dict[str, Group] = {
    "access": Group(
        modules=("src/earlyhelp/access/rules.py", "src/earlyhelp/access/guards.py"),
        tests=("tests/access",),
        # The guards wrap views as modules load, so their mutants need a fresh process; and
        # the route tests reach the extract pages, whose Polars pool hangs a forked child.
        isolation="forkserver",
    ),
    "audit": Group(
        modules=(
            "src/earlyhelp/audit/chain.py",
            "src/earlyhelp/audit/log.py",
            "src/earlyhelp/audit/verify.py",
            "src/earlyhelp/audit/queries.py",
            "src/earlyhelp/audit/anchors.py",
            "src/earlyhelp/audit/keys.py",
        ),
        tests=("tests/audit",),
        # These run the `earlyhelp` console script in other processes, which import the
        # shared tree, never the mutated copy: no mutant can fail them, and they take
        # about 150 s of each of mutmut's two full passes.
        ignore=(
            "tests/audit/test_verify_command_line.py",
            "tests/audit/test_concurrent_writers.py",
        ),
    ),
    # Who is in an extract on its date, and what is read about them.
    "cohort": Group(
        modules=(
            "src/earlyhelp/extracts/database.py",
            # Objection.objects.in_force: which objections leave a person out on a date.
            "src/earlyhelp/extracts/models.py",
        ),
        tests=("tests/extracts",),
        # Polars' thread pool, started by the tests mutmut runs first, hangs a forked child.
        isolation="forkserver",
    ),
    # What leaves: the approval, the column rules, pseudonyms and the manifest.
    "extracts": Group(
        modules=("src/earlyhelp/extracts/projects.py", "src/earlyhelp/extracts/engine.py"),
        tests=("tests/extracts",),
        isolation="forkserver",
    ),
    "policy": Group(
        modules=(
            "src/earlyhelp/policy/decisions/common.py",
            "src/earlyhelp/policy/decisions/sharing.py",
            "src/earlyhelp/policy/decisions/projects.py",
            "src/earlyhelp/policy/decisions/retention.py",
            "src/earlyhelp/policy/decisions/rights.py",
            # The calendar arithmetic the deadline and retention decisions rest on.
            "src/earlyhelp/lib/dates.py",
        ),
        tests=("tests/policy", "tests/lib/test_dates.py"),
        ignore=("tests/policy/test_policy_code_is_pure.py",),
    ),
    "search": Group(
        modules=(
            "src/earlyhelp/people/search.py",
            "src/earlyhelp/people/matching.py",
            "src/earlyhelp/people/variants.py",
        ),
        tests=(
            "tests/people/test_search.py",
            "tests/people/test_matching.py",
            "tests/people/test_search_recall.py",
            "tests/people/test_search_narrowing.py",
        ),
    ),
}

# Third-party modules the fork server imports once, before it forks a process per mutant:
# about two seconds each mutant would otherwise spend loading them. Never earlyhelp (its
# code must load mutated, in the forked process), nothing that reads Django's settings as
# it loads, and not Polars (a forked child of a process holding its thread pool can hang).
PRELOAD = (
    "pytest",
    "pytest_django.plugin",
    "hypothesis",
    "hypothesis.strategies",
    "django.test",
    "django.test.client",
    "django.db.models",
    "django.forms",
    "django.template",
    "django.core.management",
    "django.contrib.auth.hashers",
    "cryptography.hazmat.primitives.ciphers.aead",
    "cryptography.hazmat.primitives.hashes",
    "cryptography.fernet",
    "argon2",
    "rapidfuzz",
    "jellyfish",
    "pydantic",
    "holidays",
    "pypdf",
    "segno",
    "factory",
    "psycopg",
)

DETECTED = ("killed", "timeout")
NOT_DETECTED = ("survived", "no tests", "suspicious", "segfault")


def git(*args: str) -> bytes:
    command = ["git", *args]
    return subprocess.run(command, cwd=ROOT, check=True, capture_output=True).stdout  # noqa: S603


def snapshot(tree: Path, *, from_head: bool) -> None:
    """Copy the work tree (tracked and new files, as `make test` sees them) or HEAD."""
    if from_head:
        with tarfile.open(fileobj=BytesIO(git("archive", "HEAD")), mode="r:") as archive:
            archive.extractall(tree, filter="data")
    else:
        for name in git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split(
            b"\0"
        ):
            source = ROOT / os.fsdecode(name)
            if name and source.is_file():
                target = tree / os.fsdecode(name)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
    # The collected static files (`make assets`) that page tests render with.
    for built in ("var/static", "build/static"):
        if (ROOT / built).is_dir():
            shutil.copytree(ROOT / built, tree / built)
    shutil.copy2(CONFTEST, tree / "conftest.py")


def refresh(tree: Path, *, from_head: bool) -> list[str]:
    """Bring an earlier copy up to date: the files whose text changed, with a new mtime (so
    mutmut makes their mutants anew), and the files gone from the tree removed.

    The paths changed, relative to the tree.
    """
    fresh = tree.with_name(tree.name + ".fresh")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    snapshot(fresh, from_head=from_head)
    changed = []
    for source in sorted(fresh.rglob("*")):
        if not source.is_file():
            continue
        name = source.relative_to(fresh)
        target = tree / name
        if name.as_posix() == "pyproject.toml":
            continue  # the copy's has the mutmut settings appended; see run_group
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            changed.append(name.as_posix())
    for folder in ("src", "tests"):
        for target in sorted((tree / folder).rglob("*.py")):
            name = target.relative_to(tree)
            if "__pycache__" not in name.parts and not (fresh / name).exists():
                target.unlink()
                changed.append(f"{name.as_posix()} (removed)")
    shutil.copyfile(fresh / "pyproject.toml", tree / "pyproject.base.toml")
    shutil.rmtree(fresh)
    return changed


def drop_stale_copies(tree: Path) -> list[str]:
    """Remove from the copy's mutants/ each file of src/ or tests/ that the tree no longer
    has as it is there, so that mutmut copies it anew. The paths, relative to mutants/.

    mutmut copies a file of src/ into mutants/ only when none is there yet: its Python it
    copies again (or mutates again) itself, but a template changed since the earlier run would
    stay as it was, and a page test fail on every run, first of all while mutmut collects
    which tests reach which function ("failed to collect stats. runner returned 1"). tests/
    it copies over each run, but a file gone from the tree would stay, and still be run.
    """
    mutants = tree / "mutants"
    dropped = []
    for folder in ("src", "tests"):
        for copy in sorted((mutants / folder).rglob("*")):
            if not copy.is_file() or "__pycache__" in copy.parts:
                continue
            if copy.suffix in (".meta", ".spans"):  # mutmut's own, beside a mutated module
                continue
            name = copy.relative_to(mutants)
            source = tree / name
            if source.is_file() and (
                copy.suffix == ".py" or source.read_bytes() == copy.read_bytes()
            ):
                continue
            copy.unlink()
            dropped.append(name.as_posix())
    return dropped


def forget_survivors(
    tree: Path, modules: list[str], *, timeouts: bool = False, survivors: bool = True
) -> int:
    """Clear the verdict of every mutant not detected (unless not `survivors`) and, with
    `timeouts`, of those that timed out, so that mutmut runs them again. How many."""
    from mutmut.stats import status_by_exit_code

    count = 0
    with verdicts(tree, modules) as loaded:
        for _module, data in loaded:
            for key, exit_code in data.exit_code_by_key.items():
                status = None if exit_code is None else status_by_exit_code[exit_code]
                if status is not None and (
                    (survivors and status not in DETECTED) or (timeouts and status == "timeout")
                ):
                    data.exit_code_by_key[key] = None
                    count += 1
            data.save()
    return count


@contextmanager
def verdicts(tree: Path, modules: list[str]) -> Iterator[list[tuple[str, Any]]]:
    """Each module's mutmut data (verdicts by mutant), read in the copy, as (module, data):
    mutmut reads its files relative to the working directory, so it is changed meanwhile."""
    from mutmut.configuration import reset_config
    from mutmut.mutation.data import SourceFileMutationData

    here = Path.cwd()
    os.chdir(tree)
    reset_config()
    try:
        loaded = []
        for module in modules:
            data = SourceFileMutationData(path=module)
            data.load()
            loaded.append((module, data))
        yield loaded
    finally:
        os.chdir(here)
        reset_config()


def mutmut_config(group: Group, modules: list[str], isolation: str) -> str:
    def toml_list(items) -> str:
        return "[" + ", ".join(json.dumps(item) for item in items) + "]"

    ignore = [f"--ignore={path}" for path in group.ignore]
    return "\n".join(
        [
            "",
            "[tool.mutmut]",
            'source_paths = ["src"]',
            f"process_isolation = {json.dumps(isolation)}",
            # A mutant is stopped after 40 times its tests' usual time (mutmut's 15 counts
            # slowness as a kill on a machine this busy: setup is not in the estimate).
            "timeout_multiplier = 40.0",
            # Third-party modules only (PRELOAD): loaded once, not once per mutant.
            'forkserver_warmup = "import"',
            'preload_modules_file = "mutation-preload.txt"',
            f"only_mutate = {toml_list(modules)}",
            'also_copy = ["policies", "var", "build", "conftest.py"]',
            f"pytest_add_cli_args = {toml_list(PYTEST_ARGS + ignore)}",
            f"pytest_add_cli_args_test_selection = {toml_list(group.tests)}",
            "",
        ]
    )


def run_logged(
    command: list[str], *, cwd: Path, env: dict, log: Path, minutes: float | None = None
) -> tuple[int, bool]:
    """Run `command` into `log`; after `minutes`, interrupt it as Ctrl+C would.

    The exit code, and whether it was cut short.
    """
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        process = subprocess.Popen(  # noqa: S603 - our own fixed commands, no shell
            command, cwd=cwd, env=env, stdout=out, stderr=out
        )
        try:
            return process.wait(timeout=minutes * 60 if minutes else None), False
        except subprocess.TimeoutExpired:
            # mutmut stops its workers and keeps the verdicts it has on SIGINT.
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            return process.returncode, True


def function_lines(code: str) -> list[str]:
    """A function's lines from its `def` on (comments above it may not be in the file)."""
    lines = [line.strip() for line in code.splitlines()]
    for index, line in enumerate(lines):
        if line.startswith(("def ", "async def ")):
            return lines[index:]
    return lines


def where_and_what(source_lines: list[str], original: str, mutated: str) -> tuple[int | None, str]:
    """The file line of the first change, and the change in one line."""
    old, new = function_lines(original), function_lines(mutated)
    start = None
    for index in range(len(source_lines) - len(old) + 1):
        if all(source_lines[index + k].strip() == old[k] for k in range(len(old))):
            start = index
            break
    line, removed, added = None, [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if line is None and start is not None:
            line = start + i1 + 1
        removed += old[i1:i2]
        added += new[j1:j2]
    change = f"{' / '.join(removed) or '(nothing)'}  ->  {' / '.join(added) or '(removed)'}"
    return line, change, string_only(removed, added)


STRING = re.compile(r"""[rRbBuUfF]{0,2}("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def string_only(removed: list[str], added: list[str]) -> bool:
    """Whether the mutant changed nothing but the text inside string literals.

    Often wording a person reads (a reason, a label), but a string can be a key too.
    """

    def blank(lines: list[str]) -> str:
        return STRING.sub('""', "\n".join(lines))

    return bool(removed) and blank(removed) == blank(added)


def collect(tree: Path, modules: list[str]) -> list[dict]:
    """Every mutant of `modules`: its status, and for those not killed where and what."""
    import libcst
    from mutmut.mutation.diff_apply import (
        read_functions_from_index,
        read_mutant_function,
        read_mutants_module,
        read_original_function,
    )
    from mutmut.stats import status_by_exit_code

    with verdicts(tree, modules) as loaded:
        mutants = []
        for module, data in loaded:
            source_lines = (tree / module).read_text(encoding="utf-8").splitlines()
            mutated_module = None
            for key, exit_code in sorted(data.exit_code_by_key.items(), key=mutant_order):
                status = status_by_exit_code[exit_code]
                mutant = {"module": module, "mutant": key, "status": status}
                if status not in (*DETECTED, "not checked"):
                    functions = read_functions_from_index(key, module)
                    if functions is None:
                        mutated_module = mutated_module or read_mutants_module(module)
                        functions = (
                            read_original_function(mutated_module, key),
                            read_mutant_function(mutated_module, key),
                        )
                    original, mutated = (libcst.Module([f]).code for f in functions)
                    mutant["line"], mutant["mutation"], mutant["string_only"] = where_and_what(
                        source_lines, original, mutated
                    )
                mutants.append(mutant)
        return mutants


def mutant_order(item: tuple[str, int | None]) -> tuple[str, int]:
    name, _ = item
    function, _, number = name.rpartition("__mutmut_")
    return function, int(number) if number.isdigit() else 0


def figures(mutants: list[dict]) -> dict:
    """Counts by verdict; the score is the share detected of the mutants that were run."""
    counts = dict.fromkeys(("killed", "survived", "timeout", "no tests", "other", "not checked"), 0)
    for mutant in mutants:
        status = mutant["status"]
        counts[status if status in counts else "other"] += 1
    total = len(mutants)
    checked = total - counts["not checked"]
    detected = counts["killed"] + counts["timeout"]
    return {
        **{key.replace(" ", "_"): value for key, value in counts.items()},
        "total": total,
        "score": round(100 * detected / checked, 1) if checked else None,
    }


def run_group(
    name: str,
    group: Group,
    *,
    jobs: int,
    from_head: bool,
    minutes: float | None,
    again: bool = False,
) -> dict:
    tree = BUILD / name
    log = BUILD / f"{name}.log"
    started = time.monotonic()
    again = again and (tree / "mutants").is_dir()
    if again:
        changed = refresh(tree, from_head=from_head)
        print(f"  again: {len(changed)} files changed since the earlier run")
        with log.open("a") as out:
            out.write(f"\n# --again: changed {', '.join(changed) or 'nothing'}\n")
        base = (tree / "pyproject.base.toml").read_text()
        (tree / "pyproject.base.toml").unlink()
    else:
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        log.write_text("")
        snapshot(tree, from_head=from_head)
        base = (tree / "pyproject.toml").read_text()
    modules = [module for module in group.modules if (tree / module).is_file()]
    missing = sorted(set(group.modules) - set(modules))
    for module in missing:
        print(f"  {module}: not in this tree, skipped")
    (tree / "mutation-preload.txt").write_text("\n".join(PRELOAD) + "\n")
    settings = base + mutmut_config(group, modules, group.isolation)
    if not (tree / "pyproject.toml").is_file() or (tree / "pyproject.toml").read_text() != settings:
        (tree / "pyproject.toml").write_text(settings)
    if again:
        stale = drop_stale_copies(tree)
        if stale:
            print(f"  again: {len(stale)} files of mutants/ left behind by the tree dropped")
            with log.open("a") as out:
                out.write(f"# --again: dropped from mutants/ {', '.join(stale)}\n")
        print(f"  again: {forget_survivors(tree, modules)} mutants not killed before run again")

    # Own keys, and the template database each test session copies: a tmpfs when there
    # is one, as the in-memory test database it stands for.
    shm = Path("/dev/shm")  # noqa: S108 - a folder of our own is made in it
    db_dir = shm / f"earlyhelp-mutation-{name}" if shm.is_dir() else tree / "db"
    shutil.rmtree(db_dir, ignore_errors=True)
    db_dir.mkdir(parents=True)
    template = db_dir / "template.sqlite3"
    env = {
        **os.environ,
        "EARLYHELP_KEYS_DIR": str(tree / ".keys"),
        "EARLYHELP_MUTATION_DB_TEMPLATE": str(template),
    }
    env.pop("DATABASE_URL", None)
    env.pop("PYTHONPATH", None)
    manage = [str(VENV_BIN / "python"), "-m", "earlyhelp.manage"]
    setup_env = {**env, "PYTHONPATH": str(tree / "src")}
    if run_logged([*manage, "keys", "init"], cwd=tree, env=setup_env, log=log)[0]:
        raise SystemExit(f"{name}: `keys init` failed, see {log}")
    db_started = time.monotonic()
    migrate = [*manage, "migrate", "--run-syncdb", "--no-input", "--verbosity", "0"]
    migrate_env = {**setup_env, "DATABASE_URL": f"sqlite:///{template}"}
    if run_logged(migrate, cwd=tree, env=migrate_env, log=log)[0]:
        raise SystemExit(f"{name}: building the template database failed, see {log}")
    db_seconds = time.monotonic() - db_started

    print(f"  mutmut run on {', '.join(modules)} against {', '.join(group.tests)} ({log})")
    mutate_started = time.monotonic()
    mutmut = [str(VENV_BIN / "mutmut"), "run", "--max-children", str(jobs)]
    code, cut_short = run_logged(mutmut, cwd=tree, env=env, log=log, minutes=minutes)
    # A kill under fork is a kill; but a timeout there may be the fork's doing (a hung
    # child): those run again from the fork server.
    if group.isolation == "fork" and not code and not cut_short:
        rerun = forget_survivors(tree, modules, timeouts=True, survivors=False)
        if rerun:
            print(f"  {rerun} timed out under fork: run again from the fork server")
            (tree / "pyproject.toml").write_text(base + mutmut_config(group, modules, "forkserver"))
            left = minutes and minutes - (time.monotonic() - mutate_started) / 60
            if left is None or left > 0:
                code, cut_short = run_logged(mutmut, cwd=tree, env=env, log=log, minutes=left)
            else:
                cut_short = True
    mutate_seconds = time.monotonic() - mutate_started
    shutil.rmtree(db_dir, ignore_errors=True)
    if cut_short:
        print(f"  stopped after {minutes:g} minutes: the mutants not yet run are not counted")
    elif code:
        raise SystemExit(f"{name}: mutmut exited {code}, see {log}")
    return report_group(
        name,
        group,
        seconds=time.monotonic() - started,
        mutmut_seconds=mutate_seconds,
        template_database_seconds=db_seconds,
    )


def report_group(
    name: str,
    group: Group,
    *,
    seconds: float,
    mutmut_seconds: float | None,
    template_database_seconds: float | None,
) -> dict:
    """The figures of a run whose copy is in build/mutation/<name>/."""
    tree = BUILD / name
    modules = [module for module in group.modules if (tree / module).is_file()]
    missing = sorted(set(group.modules) - set(modules))
    mutants = collect(tree, modules)
    per_module = {
        module: figures([m for m in mutants if m["module"] == module]) for module in modules
    }
    return {
        "modules": per_module,
        "group": figures(mutants),
        "tests": list(group.tests),
        "ignored_tests": list(group.ignore),
        "skipped_modules": missing,
        "complete": not any(m["status"] == "not checked" for m in mutants),
        "seconds": round(seconds),
        "mutmut_seconds": mutmut_seconds and round(mutmut_seconds),
        "template_database_seconds": template_database_seconds
        and round(template_database_seconds, 1),
        "not_killed": sorted(
            (
                {
                    key: m[key]
                    for key in ("module", "line", "status", "string_only", "mutation", "mutant")
                }
                for m in mutants
                if m["status"] not in (*DETECTED, "not checked")
            ),
            key=lambda m: (m["module"], m["line"] or 0, mutant_order((m["mutant"], None))),
        ),
    }


def print_report(results: dict) -> None:
    print()
    print(f"{'module':<42} {'killed':>6} {'surv':>5} {'t/o':>4} {'none':>5} {'total':>6} score")
    for name, group in results.items():
        for module, f in group["modules"].items():
            score = "-" if f["score"] is None else f"{f['score']:.1f}%"
            print(
                f"{module.removeprefix('src/earlyhelp/'):<42} {f['killed']:>6} {f['survived']:>5}"
                f" {f['timeout']:>4} {f['no_tests']:>5} {f['total']:>6} {score}"
            )
        print(f"  ({name}: {group['seconds']:.0f} s)")
    for group in results.values():
        if group["not_killed"]:
            print()
        for m in group["not_killed"]:
            where = f"{m['module']}:{m['line'] or '?'}"
            status = m["status"] + (", string" if m["string_only"] else "")
            print(f"{where}  [{status}]  {m['mutation']}")


def report_earlier(name: str) -> dict:
    """An earlier run's figures; its length from the copy's first file to the log's end."""
    tree = BUILD / name
    if not (tree / "mutants").is_dir():
        raise SystemExit(f"{name}: no earlier run in {tree}")
    seconds = (BUILD / f"{name}.log").stat().st_mtime - (tree / "conftest.py").stat().st_mtime
    return report_group(
        name, GROUPS[name], seconds=seconds, mutmut_seconds=None, template_database_seconds=None
    )


def spot_check(name: str, count: int) -> dict:
    """Run `count` mutants the last run of a "fork" group killed again, each in a fresh
    process (as the fork server would), after the same tests pass there with no mutant: a
    kill that does not repeat was owed to the state of mutmut's process, not to the tests.
    Chosen at random, seeded by the number of kills.

    {"checked": n, "killed_again": k, "not_killed_again": [mutant, ...]}.
    """
    import random

    group = GROUPS[name]
    tree = BUILD / name
    stats = json.loads((tree / "mutants" / "mutmut-stats.json").read_text())
    tests_by_function = stats["tests_by_mangled_function_name"]
    killed = [m["mutant"] for m in collect(tree, list(group.modules)) if m["status"] == "killed"]
    chosen = random.Random(len(killed)).sample(killed, min(count, len(killed)))  # noqa: S311
    env = {**os.environ, "EARLYHELP_KEYS_DIR": str(tree / ".keys"), "PYTHONPATH": "src"}
    for variable in ("DATABASE_URL", "EARLYHELP_MUTATION_DB_TEMPLATE"):
        env.pop(variable, None)
    ignore = [f"--ignore={path}" for path in group.ignore]
    command = [str(VENV_BIN / "python"), "-m", "pytest", "-x", "-q", *PYTEST_ARGS, *ignore]

    def exit_code(tests: list[str], mutant: str) -> int | str:
        try:
            return subprocess.run(  # noqa: S603 - our own fixed command
                [*command, *tests],
                cwd=tree / "mutants",
                env={**env, "MUTANT_UNDER_TEST": mutant},
                capture_output=True,
                timeout=1800,
            ).returncode
        except subprocess.TimeoutExpired:
            return "timed out"

    missed = []
    for mutant in chosen:
        tests = sorted(tests_by_function[mutant.partition("__mutmut_")[0]])
        # The same tests pass with no mutant (else a failure says nothing of the mutant).
        clean = exit_code(tests, "")
        done = exit_code(tests, mutant) if clean == 0 else None
        verdict = "killed again" if done == 1 else f"clean run {clean}, mutant run {done}"
        print(f"  {mutant}: {verdict}")
        if done != 1:
            missed.append(mutant)
    return {
        "checked": len(chosen),
        "killed_again": len(chosen) - len(missed),
        "not_killed_again": missed,
    }


def dirty(paths: list[str]) -> list[str]:
    out = git("status", "--porcelain", "--", *paths).decode()
    return sorted(line[3:] for line in out.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=", ".join(GROUPS))
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATION_JOBS", 2)))
    parser.add_argument("--from-head", action="store_true", help="mutate HEAD, not the tree")
    parser.add_argument(
        "--minutes",
        type=float,
        default=float(os.environ.get("MUTATION_MINUTES") or 0) or None,
        help="stop each group after this long, keeping the verdicts so far",
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="keep a group's earlier copy and verdicts; run what changed or was not killed",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="run nothing: report the copies build/mutation/ holds from earlier runs",
    )
    parser.add_argument(
        "--spot-check",
        type=int,
        metavar="N",
        help="run N mutants the last run killed again, each in a fresh process",
    )
    args = parser.parse_args()
    names = args.groups or list(GROUPS)
    unknown = sorted(set(names) - set(GROUPS))
    if unknown:
        parser.error(f"no group {', '.join(unknown)}; the groups are {', '.join(GROUPS)}")

    started = datetime.now(UTC)
    if args.spot_check:
        checks = {name: spot_check(name, args.spot_check) for name in names}
        out = RESULTS / f"mutation-spot-check-{started:%Y%m%dT%H%M%SZ}.json"
        out.write_text(json.dumps(checks, indent=2) + "\n")
        print(f"\n{json.dumps(checks)}\nsaved {out.relative_to(ROOT)}")
        return
    results = {}
    for name in names:
        print(f"{name}:")
        if args.report:
            results[name] = report_earlier(name)
        else:
            results[name] = run_group(
                name,
                GROUPS[name],
                jobs=args.jobs,
                from_head=args.from_head,
                minutes=args.minutes,
                again=args.again,
            )
    print_report(results)

    watched = [path for name in names for path in (*GROUPS[name].modules, *GROUPS[name].tests)]
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"mutation-{started:%Y%m%dT%H%M%SZ}.json"
    out.write_text(
        json.dumps(
            {
                "started": started.isoformat(timespec="seconds"),
                "commit": git("rev-parse", "HEAD").decode().strip(),
                "source": "HEAD" if args.from_head else "work tree",
                "reported_from_earlier_run": args.report,
                "again": args.again,
                "uncommitted": [] if args.from_head else dirty(watched),
                "tool": f"mutmut {mutmut_version()}",
                "pytest_args": PYTEST_ARGS,
                "jobs": args.jobs,
                "cpus": os.cpu_count(),
                "load_average_at_start": os.getloadavg()[0],
                "python": platform.python_version(),
                "groups": results,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"\nsaved {out.relative_to(ROOT)}")


def mutmut_version() -> str:
    from importlib.metadata import version

    return version("mutmut")


if __name__ == "__main__":
    main()
