"""`make bench`: each benchmark runs the real commands on a fresh database.

Figures are printed and saved as JSON under bench/results/ (one file a run).
Benchmarks measure; tests assert. Nothing here is a pass/fail check.
"""

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EARLYHELP = str(Path(sys.executable).parent / "earlyhelp")
RESULTS = ROOT / "bench" / "results"


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak resident MiB of the child, its output)."""
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mib, done.stdout


def fresh_database(folder: Path) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}")
    run([EARLYHELP, "migrate", "--no-input", "-v0"], env)
    return env


def bench_generate(folder: Path, families: int) -> dict:
    env = fresh_database(folder)
    seconds, peak, output = run(
        [EARLYHELP, "generate", "--families", str(families), "--seed", "1", "-v0",
         "--as-of", "2026-11-25"],
        env,
    )
    people = next(
        int(line.split()[-1].replace(",", ""))
        for line in output.splitlines()
        if line.strip().startswith("people ")
    )
    return {
        "name": f"generate {families:,} families (SQLite)",
        "families": families,
        "people": people,
        "seconds": round(seconds, 2),
        "families_per_second": round(families / seconds),
        "people_per_second": round(people / seconds),
        "peak_rss_mib": round(peak),
    }


def main() -> None:
    families = int(os.environ.get("BENCH_FAMILIES", "100000"))
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results.append(bench_generate(Path(folder), families))
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    record = {
        "when": stamp,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "results": results,
    }
    for result in results:
        figures = ", ".join(f"{k} {v}" for k, v in result.items() if k != "name")
        print(f"{result['name']}: {figures}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{stamp}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
