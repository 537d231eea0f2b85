"""Staff and the documents folder for the bundle tests."""

import pytest

from earlyhelp.access.roles import Role


@pytest.fixture
def officer(make_user):
    """The information governance officer who handles the request (not signed in)."""
    user = make_user("ines", Role.INFORMATION_GOVERNANCE)
    user.first_name, user.last_name = "Ines", "Moreau"
    user.save()
    return user


@pytest.fixture
def worker(make_user):
    """A practitioner named in the notes: a worker acting in their role."""
    user = make_user("sam", Role.PRACTITIONER)
    user.first_name, user.last_name = "Sam", "Patel"
    user.save()
    return user


@pytest.fixture
def documents_dir(settings, tmp_path):
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    return settings.DOCUMENTS_DIR
