import pytest

from earlyhelp.extracts.keys import ensure_project_key


@pytest.fixture
def keys_dir(settings, tmp_path):
    """Pseudonym keys for the policy's projects, in a folder of this test's own."""
    settings.KEYS_DIR = tmp_path / "keys"
    for project in ("liia", "national-insights"):
        ensure_project_key(settings.KEYS_DIR, project)
    return settings.KEYS_DIR
