"""Figures for `earlyhelp pseudonymise` on SSDA903 returns, beside liiatools' own cleaning.

    .venv/bin/python bench/extracts.py      alone, without the database benches
    make bench                              as part of bench/run.py (BENCH_EXTRACTS=0 skips it)

The input is a synthetic SSDA903 *header* return (CHILD, SEX, DOB, ETHNIC, UPN, MOTHER,
MC_DOB, with the DfE's codes and dd/mm/yyyy dates), made by polars from a fixed seed at
1,000,000 and 10,000,000 rows into bench/data/extracts/ (outside git) and kept: a file is
made again only when it is missing. Nothing in it is about a real child.

earlyhelp: `earlyhelp pseudonymise --project liia --map MAP IN.csv OUT.csv` applies the LIIA
project's rules in policies/camden.toml: CHILD becomes a keyed pseudonym, DOB and MC_DOB
their month, SEX, ETHNIC and MOTHER are kept and UPN, which the map leaves out, is dropped.
Its key is made by `earlyhelp keys init` in a temporary EARLYHELP_KEYS_DIR, so the bench
never reads nor writes the developer's .keys. Each size is run BENCH_EXTRACTS_REPEATS times
(default 3); the fastest wall time is reported, with the highest peak memory of the runs.
The time is the whole command, Python and Django starting included.

liiatools: the London Innovation and Improvement Alliance's own tool (Social Finance), at
0.2.0, in a venv of its own, bench/data/liiatools-venv, built once from the pins in
bench/liiatools-requirements.txt (it pins cchardet, which does not build on Python 3.11,
so it is installed with --no-deps and faust-cchardet provides the cchardet module); it
is never a dependency of earlyhelp. Its `s903 cleanfile` step, which validates each cell,
turns dates of birth into their month and suffixes CHILD with the LA code, runs on the
first BENCH_LIIATOOLS_ROWS rows (default 100,000: it handles a cell at a time and is
slow) of the same generated return, and its output is counted to be sure every row went
through. Its cleaning keeps the postcode *sector* (SW14 2) of HOME_POST and PL_POST where
Camden's notice promises only the *district* (SW14); the header return has no postcode,
so that difference is not in these figures.

Peak memory is each command's own peak resident set, from os.wait4 on that child. The
process starting it stays small (generation runs in a child of its own), because Linux
counts the parent's peak in a child started by vfork: a figure is never below this
process's own peak (tens of MiB).

Targets on the 2-core machine: 1M rows in < 5 s; 10M rows in < 60 s within 4 GB of
memory; and at least 100 times the rows a second of liiatools' cleanfile. Benchmarks
measure; nothing here is a pass/fail check.

Environment:
  BENCH_EXTRACTS_ROWS       row counts timed through earlyhelp, comma-separated
                            (default 1000000,10000000)
  BENCH_EXTRACTS_REPEATS    runs of each (default 3)
  BENCH_LIIATOOLS_ROWS      rows cleaned by liiatools (default 100000)
  BENCH_LIIATOOLS=0         leave liiatools out
"""

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from process import run  # bench/process.py, beside this file

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
EARLYHELP = str(Path(sys.executable).parent / "earlyhelp")
HERE = Path(__file__).resolve()
DATA = ROOT / "bench" / "data"
EXTRACTS = DATA / "extracts"
RESULTS = ROOT / "bench" / "results"
LIIATOOLS_VENV = DATA / "liiatools-venv"
LIIATOOLS_PYTHON = LIIATOOLS_VENV / "bin" / "python"
LIIATOOLS_REQUIREMENTS = ROOT / "bench" / "liiatools-requirements.txt"
LIIATOOLS_VERSION = "0.2.0"
# cleanfile reads the collection year from the file's name and wants a schema for it
# (0.2.0 ships 2017 to 2024) within twelve years of today.
LIIATOOLS_FILE = "SSDA903_2024_header.csv"
LIIATOOLS_LA_CODE = "CAM"  # Camden, one of the codes in its LA-codes.yml

SEED = 1
AS_OF = date(2026, 11, 25)  # the bench's "today", as in bench/run.py
FIRST_BIRTH = date(2005, 1, 1)
CHUNK = 1_000_000  # rows generated at a time
HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]

# DfE SSDA903 ethnicity codes, with weights (out of 1,000) roughly like a London LA's
# children in care.
ETHNICITIES = {
    "WBRI": 300, "WIRI": 15, "WOTH": 90, "WIRT": 5, "WROM": 10,
    "MWBC": 55, "MWBA": 25, "MWAS": 20, "MOTH": 50,
    "AIND": 15, "APKN": 10, "ABAN": 40, "AOTH": 30,
    "BCRB": 50, "BAFR": 110, "BOTH": 45, "CHNE": 5,
    "OOTH": 80, "REFU": 20, "NOBT": 25,
}  # fmt: skip

# How the generated return maps onto the LIIA project's fields.
MAPPING = """\
date_format = "%d/%m/%Y"

[columns]
CHILD = "person-reference"
DOB = "date-of-birth"
MC_DOB = "date-of-birth"
SEX = "keep"
ETHNIC = "keep"
MOTHER = "keep"
# UPN is not mapped, so it is dropped.
"""
KEPT = {"CHILD", "DOB", "MC_DOB", "SEX", "ETHNIC", "MOTHER"}

TARGETS = {
    "1000000": {"seconds": 5},
    "10000000": {"seconds": 60, "peak_rss_mib": 4096},
    "ratio_to_liiatools": 100,
}


# -- running a command ---------------------------------------------------------------------------


# -- the generated returns -----------------------------------------------------------------------


def generate(rows: int, path: Path) -> None:
    """Write a synthetic SSDA903 header return of `rows` rows to `path` (polars, in chunks).

    Every value is a hash of the row's number and the seed, so a file is the same on every
    machine with the same polars, and a smaller file is the start of a larger one.
    """
    import polars as pl

    ethnic = pl.Series("ethnic", [code for code, n in ETHNICITIES.items() for _ in range(n)])
    first = (FIRST_BIRTH - date(1970, 1, 1)).days
    span = (AS_OF - FIRST_BIRTH).days + 1
    today = (AS_OF - date(1970, 1, 1)).days
    row = pl.col("row")

    def draw(salt: int, below: int) -> pl.Expr:
        return (row.hash(seed=SEED * 1000 + salt) % below).cast(pl.Int64)

    def ddmmyyyy(days: pl.Expr) -> pl.Expr:
        return days.cast(pl.Int32).cast(pl.Date).dt.strftime("%d/%m/%Y")

    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as out:
        for start in range(0, rows, CHUNK):
            count = min(CHUNK, rows - start)
            frame = pl.DataFrame({"row": pl.int_range(start, start + count, eager=True)})
            frame = frame.with_columns(
                female=draw(1, 100) >= 56,
                dob=first + draw(2, span),
                mother=draw(4, 1000),
            ).with_columns(
                # a mother's child born 13 to 21 years after her (so only older girls)
                mc_dob=pl.col("dob") + 13 * 365 + draw(5, 8 * 365),
            )
            is_mother = pl.col("female") & (pl.col("mother") < 40) & (pl.col("mc_dob") <= today)
            frame = frame.select(
                # a unique nine-digit LA child number: row -> a*row+b mod 900,000,000 is
                # one to one, as a is prime to 900,000,000
                CHILD=(100_000_000 + (row * 123_456_791 + 12_345) % 900_000_000).cast(pl.String),
                SEX=pl.when(pl.col("female")).then(pl.lit("2")).otherwise(pl.lit("1")),
                DOB=ddmmyyyy(pl.col("dob")),
                ETHNIC=draw(3, len(ethnic)),
                UPN=pl.concat_str(
                    pl.lit("A"), draw(6, 10**12).cast(pl.String).str.zfill(12)
                ),  # synthetic; dropped anyway
                MOTHER=pl.when(is_mother)
                .then(pl.lit("1"))
                .when(pl.col("female") & (pl.col("mother") < 980))
                .then(pl.lit("0"))
                .otherwise(None),
                MC_DOB=pl.when(is_mother).then(ddmmyyyy(pl.col("mc_dob"))).otherwise(None),
            )
            frame = frame.with_columns(ETHNIC=ethnic.gather(frame["ETHNIC"]))
            frame.write_csv(out, include_header=start == 0)
    partial.replace(path)


def return_file(rows: int) -> Path:
    """The kept return of `rows` rows, made (in a child process, untimed) if missing."""
    path = EXTRACTS / f"ssda903_header_{rows}.csv"
    if not path.exists():
        EXTRACTS.mkdir(parents=True, exist_ok=True)
        print(f"  generating {path.relative_to(ROOT)} (once; not timed)", flush=True)
        seconds, _, _ = run([PYTHON, str(HERE), "--generate", str(rows), str(path)], environ())
        print(f"    {rows:,} rows in {seconds:.1f} s", flush=True)
    return path


def count_rows(path: Path) -> int:
    """Data rows of a CSV file with no line breaks inside values."""
    lines, last = 0, b"\n"
    with path.open("rb") as file:
        while block := file.read(1 << 24):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n") - 1


def environ() -> dict[str, str]:
    return dict(os.environ)


# -- earlyhelp pseudonymise ------------------------------------------------------------------------


def bench_earlyhelp(sizes: list[int], repeats: int) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench-keys-") as keys:
        env = dict(environ(), EARLYHELP_KEYS_DIR=keys)
        env.pop("EARLYHELP_SECRET_KEY", None)
        run([EARLYHELP, "keys", "init"], env)
        figures = []
        for rows in sizes:
            source = return_file(rows)
            print(f"  earlyhelp pseudonymise: {rows:,} rows x {repeats}", flush=True)
            with tempfile.TemporaryDirectory(dir=EXTRACTS, prefix="out-") as folder:
                mapping = Path(folder) / "liia.toml"
                mapping.write_text(MAPPING)
                target = Path(folder) / "pseudonymised.csv"
                command = [
                    EARLYHELP, "pseudonymise", "--project", "liia", "--map", str(mapping),
                    "--on", AS_OF.isoformat(), str(source), str(target),
                ]  # fmt: skip
                runs = []
                for _ in range(repeats):
                    for made in Path(folder).glob(f"{target.stem}*"):  # it never overwrites
                        made.unlink()
                    seconds, peak, _ = run(command, env)
                    runs.append({"seconds": round(seconds, 2), "peak_rss_mib": round(peak)})
                written = count_rows(target)
                outputs = sorted(path.name for path in Path(folder).glob(f"{target.stem}*"))
                with target.open(newline="") as file:
                    reader = csv.reader(file)
                    columns = next(reader)
                    sample = dict(zip(columns, next(reader), strict=True))
            if written != rows:
                raise SystemExit(f"earlyhelp pseudonymise wrote {written:,} rows of {rows:,}")
            seconds = min(run["seconds"] for run in runs)
            figures.append(
                {
                    "rows": rows,
                    "seconds": seconds,
                    "rows_per_second": round(rows / seconds),
                    "peak_rss_mib": max(run["peak_rss_mib"] for run in runs),
                    "runs": runs,
                    "output_rows": written,
                    "output_columns": columns,
                    "upn_dropped": "UPN" not in columns,
                    "dob_is_month": bool(re.fullmatch(r"\d{4}-\d{2}", sample.get("DOB", ""))),
                    "files_written": outputs,
                    "input_mib": round(source.stat().st_size / 2**20),
                }
            )
    return figures


# -- liiatools -------------------------------------------------------------------------------------


def pip_env() -> dict[str, str]:
    """pip for the liiatools venv: the registry alone, none of this machine's pip settings."""
    env = {k: v for k, v in environ().items() if k not in ("PIP_FIND_LINKS", "PIP_CONSTRAINT")}
    return dict(env, PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")


def liiatools_venv() -> Path:
    """bench/data/liiatools-venv, built once from the pins (again when they change)."""
    pins = hashlib.sha256(LIIATOOLS_REQUIREMENTS.read_bytes()).hexdigest()
    stamp = LIIATOOLS_VENV / ".bench-pins"
    if stamp.exists() and stamp.read_text().strip() == pins and LIIATOOLS_PYTHON.exists():
        return LIIATOOLS_PYTHON
    print(f"  building {LIIATOOLS_VENV.relative_to(ROOT)} (once; not timed)", flush=True)
    shutil.rmtree(LIIATOOLS_VENV, ignore_errors=True)
    DATA.mkdir(parents=True, exist_ok=True)
    run([PYTHON, "-m", "venv", str(LIIATOOLS_VENV)], environ())
    run(
        [str(LIIATOOLS_PYTHON), "-m", "pip", "install", "--quiet", "--no-deps",
         "--only-binary", ":all:", "-r", str(LIIATOOLS_REQUIREMENTS)],
        pip_env(),
    )  # fmt: skip
    run([str(LIIATOOLS_PYTHON), "-c", "import cchardet, liiatools, pandas"], environ())
    stamp.write_text(pins + "\n")
    return LIIATOOLS_PYTHON


def liiatools_command(python: Path, source: Path, logs: Path, output: Path) -> list[str]:
    return [
        str(python), "-m", "liiatools", "s903", "cleanfile", "--i", str(source),
        "--la_code", LIIATOOLS_LA_CODE, "--la_log_dir", str(logs), "--o", str(output),
    ]  # fmt: skip


def bench_liiatools(rows: int) -> dict[str, Any]:
    python = liiatools_venv()
    kept = return_file(rows)
    print(f"  liiatools {LIIATOOLS_VERSION} s903 cleanfile: {rows:,} rows", flush=True)
    with tempfile.TemporaryDirectory(dir=EXTRACTS, prefix="liiatools-") as folder:
        # cleanfile rewrites its input in place, so it gets a copy.
        source = Path(folder) / LIIATOOLS_FILE
        shutil.copyfile(kept, source)
        logs, output = Path(folder) / "logs", Path(folder) / "out"
        logs.mkdir()
        output.mkdir()
        command = liiatools_command(python, source, logs, output)
        seconds, peak, _ = run(command, environ(), cwd=Path(folder))
        cleaned = output / f"{source.stem}_clean.csv"
        if not cleaned.exists():
            found = "\n".join(p.read_text()[-2000:] for p in logs.iterdir())
            raise SystemExit(f"liiatools cleanfile wrote no {cleaned.name}:\n{found}")
        with cleaned.open(newline="") as file:
            reader = csv.DictReader(file)
            written = dob_months = la_ids = 0
            for record in reader:
                written += 1
                dob_months += record["DOB"].endswith("-01")
                la_ids += record["CHILD"].endswith(f"_{LIIATOOLS_LA_CODE}")
            columns = list(reader.fieldnames or [])
        error_logs = sorted(p.name for p in logs.iterdir())
    if written != rows:
        raise SystemExit(f"liiatools cleanfile wrote {written:,} rows of {rows:,}")
    shown = liiatools_command(
        Path("bench/data/liiatools-venv/bin/python"), Path(LIIATOOLS_FILE), Path("LOGS"),
        Path("OUT"),
    )  # fmt: skip
    return {
        "version": LIIATOOLS_VERSION,
        "command": " ".join(shown),
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "peak_rss_mib": round(peak),
        "output_rows": written,
        "output_columns": columns,
        "dob_to_month_share": round(dob_months / max(written, 1), 4),
        "child_with_la_code_share": round(la_ids / max(written, 1), 4),
        "error_logs": error_logs,
    }


# -- together --------------------------------------------------------------------------------------


def attempt(name: str, bench) -> dict[str, Any] | list[dict[str, Any]]:
    """A part that cannot run (the command not there yet, no registry) is reported, not fatal."""
    try:
        return bench()
    except (SystemExit, OSError, subprocess.SubprocessError) as error:
        message = str(error).strip()
        print(f"  {name}: could not run: {message[:2000]}", flush=True)
        return {"error": message[-2000:]}


def bench_extracts() -> dict[str, Any]:
    """Time earlyhelp pseudonymise and liiatools cleanfile; print a table; return the figures."""
    sizes = [
        int(size)
        for size in os.environ.get("BENCH_EXTRACTS_ROWS", "1000000,10000000").split(",")
        if size.strip()
    ]
    repeats = int(os.environ.get("BENCH_EXTRACTS_REPEATS", "3"))
    liia_rows = int(os.environ.get("BENCH_LIIATOOLS_ROWS", "100000"))
    print("extracts: SSDA903 header returns through earlyhelp pseudonymise and liiatools")
    # Working folders an interrupted run left behind (a 10M-row output is half a GB).
    for stale in [*EXTRACTS.glob("out-*"), *EXTRACTS.glob("liiatools-*")]:
        shutil.rmtree(stale, ignore_errors=True)
    record: dict[str, Any] = {
        "input": "synthetic SSDA903 header return (CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB)",
        "seed": SEED,
        "targets": TARGETS,
    }
    if sizes:
        record["earlyhelp"] = attempt("earlyhelp", lambda: bench_earlyhelp(sizes, repeats))
    if os.environ.get("BENCH_LIIATOOLS") != "0":
        record["liiatools"] = attempt("liiatools", lambda: bench_liiatools(liia_rows))
    record["ratio_to_liiatools"] = ratios(record)
    print_table(record)
    return record


def ratios(record: dict[str, Any]) -> dict[str, float]:
    liia = record.get("liiatools")
    ours = record.get("earlyhelp")
    if not isinstance(liia, dict) or "rows_per_second" not in liia or not isinstance(ours, list):
        return {}
    return {
        str(figures["rows"]): round(figures["rows_per_second"] / liia["rows_per_second"], 1)
        for figures in ours
    }


def print_table(record: dict[str, Any]) -> None:
    lines = [("", "rows", "seconds", "rows/s", "peak MiB", "÷ liiatools", "target")]
    ours = record.get("earlyhelp")
    if isinstance(ours, list):
        for figures in ours:
            target = TARGETS.get(str(figures["rows"]), {})
            wanted = [f"< {target['seconds']} s"] if "seconds" in target else []
            wanted += [f"< {target['peak_rss_mib']:,} MiB"] if "peak_rss_mib" in target else []
            ratio = record["ratio_to_liiatools"].get(str(figures["rows"]))
            lines.append(
                (
                    "earlyhelp pseudonymise",
                    f"{figures['rows']:,}",
                    f"{figures['seconds']}",
                    f"{figures['rows_per_second']:,}",
                    f"{figures['peak_rss_mib']:,}",
                    f"{ratio:,}x" if ratio else "-",
                    ", ".join([*wanted, f">= {TARGETS['ratio_to_liiatools']}x"]),
                )
            )
    liia = record.get("liiatools")
    if isinstance(liia, dict) and "rows" in liia:
        lines.append(
            (
                f"liiatools {liia['version']} s903 cleanfile",
                f"{liia['rows']:,}",
                f"{liia['seconds']}",
                f"{liia['rows_per_second']:,}",
                f"{liia['peak_rss_mib']:,}",
                "1x",
                "",
            )
        )
    widths = [max(len(line[i]) for line in lines) + 3 for i in range(len(lines[0]))]
    print()
    for line in lines:
        print("".join(f"{value:<{width}}" for value, width in zip(line, widths, strict=True)))
    for name in ("earlyhelp", "liiatools"):
        part = record.get(name)
        if isinstance(part, dict) and "error" in part:
            print(f"{name}: not run: {part['error'].splitlines()[0]}")
    if isinstance(liia, dict) and "command" in liia:
        print(f"liiatools ran: {liia['command']}")
    print()


def main() -> None:
    if sys.argv[1:2] == ["--generate"] and len(sys.argv) == 4:
        generate(int(sys.argv[2]), Path(sys.argv[3]))
        return
    if len(sys.argv) != 1:
        raise SystemExit("usage: extracts.py | extracts.py --generate ROWS PATH")
    sys.path.insert(0, str(HERE.parent))
    from run import machine  # bench/run.py, for the same machine description

    record = {
        "when": datetime.now().strftime("%Y%m%dT%H%M%S"),
        "machine": machine(),
        "extracts": bench_extracts(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{record['when']}-extracts.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
