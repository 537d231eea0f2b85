"""Run the `earlyhelp` console script as an operator would, in a clean environment."""

import os
import subprocess
import sys
from pathlib import Path

EARLYHELP = str(Path(sys.executable).parent / "earlyhelp")


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EARLYHELP_", "DATABASE_URL"))
    }
    environment.update(env)
    environment["DJANGO_SETTINGS_MODULE"] = "earlyhelp.settings"
    return subprocess.run(args, env=environment, capture_output=True, text=True, timeout=120)


def earlyhelp(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run([EARLYHELP, *args], **env)
