"""The documents folder, staff, and a small PDF for the package tests; the sharing tests'
staff and assessment for the disclosure packages."""

import pytest
from fpdf import FPDF

from tests.sharing.conftest import assessment, assessment_key, boss, worker  # noqa: F401

SECRET_LINE = "Synthetic note: Yusuf Haddad attended the drop-in."


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    """Protected files go to a folder of the test's own."""
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    return settings.DOCUMENTS_DIR


@pytest.fixture
def pdf() -> bytes:
    """A one-page PDF holding SECRET_LINE."""
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=SECRET_LINE)
    return bytes(document.output())
