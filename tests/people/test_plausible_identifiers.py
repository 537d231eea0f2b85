"""NHS numbers that could be a person's: the check digit, the ranges ever issued, and the
test range only where the data is synthetic (issue 11, item 2)."""

import importlib.util
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

import earlyhelp
from earlyhelp.people.forms import PersonForm, clean_nhs_number
from earlyhelp.people.identifiers import NHS_ISSUED_RANGES, NHS_TEST_RANGE, nhs_number_range
from earlyhelp.people.models import Person

NEVER_ISSUED = (
    "NHS number 000 000 0000 has never been issued: NHS numbers are from "
    "010 100 0000 to 499 999 9999 or 600 000 0000 to 799 999 9999"
)
TEST_NUMBER = (
    "NHS number 999 999 9999 is a test number that is never given to a person: "
    "enter their real NHS number, or leave it empty"
)


def person(**overrides) -> dict[str, str]:
    data = {"given_name": "Yusuf", "family_name": "Haddad", "nhs_number": ""}
    data.update(
        {"date_of_birth_day": "9", "date_of_birth_month": "2", "date_of_birth_year": "2016"}
    )
    return {**data, **overrides}


def test_000_000_0000_passes_the_check_digit_but_is_refused_as_never_issued():
    form = PersonForm(person(nhs_number="000 000 0000"))
    assert form.errors["nhs_number"] == [NEVER_ISSUED]


@pytest.mark.parametrize(
    "number", ["010 100 0006", "311 299 9991", "320 000 0015", "485 777 3457", "600 000 0006"]
)
def test_numbers_of_every_issued_range_are_accepted_in_production(number):
    with override_settings(SYNTHETIC_DATA=False):
        assert clean_nhs_number(number) == number.replace(" ", "")


@pytest.mark.parametrize("number", ["500 000 0005", "800 000 0008", "943 476 5919"])
def test_numbers_outside_the_issued_ranges_are_refused(number):
    with pytest.raises(Exception, match="has never been issued"):
        clean_nhs_number(number, synthetic=True)


def test_a_test_range_number_is_refused_where_the_data_is_real():
    with override_settings(SYNTHETIC_DATA=False):
        form = PersonForm(person(nhs_number="999 999 9999"))
        assert form.errors["nhs_number"] == [TEST_NUMBER]


def test_a_test_range_number_is_accepted_where_the_data_is_synthetic():
    with override_settings(SYNTHETIC_DATA=True):
        assert PersonForm(person(nhs_number="999 999 9999")).is_valid()


def test_999_999_9999_never_blocks_a_different_child_where_the_data_is_real(
    client, practitioner, family
):
    # In production the test number is refused for the first child, so it is never
    # recorded and cannot make a second child "already recorded".
    with override_settings(SYNTHETIC_DATA=False):
        first = client.post(reverse("people:create"), person(nhs_number="999 999 9999"))
        assert "is a test number that is never given to a person" in first.content.decode()
        assert not Person.objects.filter(nhs_number="9999999999").exists()
        second = person(
            given_name="Leon",
            family_name="Brown",
            date_of_birth_day="3",
            date_of_birth_month="7",
            date_of_birth_year="2018",
            nhs_number="999 999 9999",
        )
        page = client.post(reverse("people:create"), second).content.decode()
        assert "already recorded" not in page
        assert "is a test number that is never given to a person" in page


def test_the_ranges_are_where_the_nhs_says():
    assert nhs_number_range("4857773457") == "issued"
    assert nhs_number_range("9990000018") == "test"
    assert nhs_number_range("0000000000") is None
    assert NHS_TEST_RANGE == (9_990_000_000, 9_999_999_999)
    assert all(first <= last for _, first, last in NHS_ISSUED_RANGES)


def load_settings(monkeypatch, value: str | None):
    """A fresh copy of the settings module, read with EARLYHELP_SYNTHETIC_DATA as given."""
    if value is None:
        monkeypatch.delenv("EARLYHELP_SYNTHETIC_DATA", raising=False)
    else:
        monkeypatch.setenv("EARLYHELP_SYNTHETIC_DATA", value)
    path = Path(earlyhelp.__file__).parent / "settings.py"
    spec = importlib.util.spec_from_file_location("settings_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_data_is_not_synthetic_unless_the_environment_says_so(monkeypatch):
    assert load_settings(monkeypatch, None).SYNTHETIC_DATA is False
    assert load_settings(monkeypatch, "true").SYNTHETIC_DATA is True


def test_the_demo_says_its_data_is_synthetic():
    makefile = (Path(earlyhelp.__file__).parents[2] / "Makefile").read_text()
    demo_env = next(line for line in makefile.splitlines() if line.startswith("DEMO_ENV"))
    assert "EARLYHELP_SYNTHETIC_DATA=true" in demo_env
