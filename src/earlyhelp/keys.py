"""Where secrets live: files in EARLYHELP_KEYS_DIR, never in the database or in git."""

import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"  # noqa: S105  (a file name)


def read_key_file(keys_dir: Path, name: str) -> str | None:
    path = keys_dir / name
    if not path.exists():
        return None
    return path.read_text().strip() or None


def write_key_file(keys_dir: Path, name: str, value: str) -> bool:
    """Write a key once; return False (and leave it alone) when it already exists."""
    keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = keys_dir / name
    try:
        # O_EXCL: two processes racing must not both write a key.
        with path.open("x") as handle:
            handle.write(value + "\n")
    except FileExistsError:
        return False
    path.chmod(0o600)
    return True


def new_secret() -> str:
    return secrets.token_urlsafe(50)
