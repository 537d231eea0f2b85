"""Running a command for a benchmark: its time, its own peak memory and its output."""

import os
import subprocess
import tempfile
import time
from pathlib import Path


def run(
    args: list[str], env: dict[str, str], *, cwd: Path | None = None, quiet: bool = True
) -> tuple[float, float, str]:
    """Run a command; return (seconds, its own peak resident MiB, its standard output).

    The peak is the child's own, from os.wait4: RUSAGE_CHILDREN would give the largest of
    every child so far. Output goes to files, not pipes, so nothing need read it while the
    command runs; with quiet off it goes to the terminal as it comes (progress bars).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(  # noqa: S603 - our own commands, no shell
            args,
            env=env,
            cwd=cwd,
            stdout=out if quiet else None,
            stderr=err if quiet else None,
            text=True,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        raise SystemExit(
            f"{' '.join(args)} failed ({child.returncode}):\n{stdout[-4000:]}\n{stderr[-4000:]}"
        )
    return seconds, usage.ru_maxrss / 1024, stdout
