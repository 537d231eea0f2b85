"""No family data reaches the logs, at the levels production logs at.

settings.LOGGING sends the root logger to the console at INFO (EARLYHELP_LOG_LEVEL), over
Django's DEFAULT_LOGGING, which gives "django" INFO and "django.server" INFO without
propagating to the root. The fixture below hangs one capturing handler on the root and on
every logger the application and its libraries log through, so a record is caught whether
or not it propagates, and sets each logger to the level production gives it: as configured;
with EARLYHELP_LOG_LEVEL=DEBUG (root at DEBUG, Django's loggers as configured); or, to be
strict, every logger at DEBUG. A realistic session then runs through the test client, and
each captured record, as the console formatter writes it plus its arguments and any extra
attributes, is searched for the family's names, dates of birth, NHS numbers, postcode,
address, and what was searched for.
"""

import logging
import uuid
from collections import Counter
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.log import DEFAULT_LOGGING

from earlyhelp.access.demo import current_code
from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.people.models import Person
from tests.conftest import STRONG_PASSWORD
from tests.factories import DocumentFactory, TeamFactory

# The loggers the application and its libraries write through; earlyhelp.* added as found.
NAMED_LOGGERS = [
    "django",
    "django.request",
    "django.security",
    "django.server",
    "django.db.backends",
    "axes",
    "earlyhelp",
]
PRODUCTION_FORMAT = settings.LOGGING["formatters"]["plain"]["format"]
STANDARD_ATTRIBUTES = {
    *vars(logging.LogRecord("x", logging.INFO, "x", 0, "", (), None)),
    "message",
    "asctime",
}

NHS_NUMBER = "9990000018"
NEW_NHS_NUMBER = "4857773457"
WRONG_NHS_NUMBER = "9434765918"  # last digit does not check: a form error
SEARCH_TERM = "Yusuf Haddad"
BREAK_GLASS_REASON = "Police at school asking about Yusuf Haddad, allocated worker off sick"
NEW_PERSON = ("Zainab", "Okonkwo", date(2019, 6, 3))

PRODUCTION = "production levels"
ENV_DEBUG = "EARLYHELP_LOG_LEVEL=DEBUG"
ALL_DEBUG = "every logger at DEBUG"


class Capture(logging.Handler):
    """Every record that reaches any logger it hangs on, once."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter(PRODUCTION_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        if not any(record is seen for seen in self.records):
            self.records.append(record)

    def text(self, record: logging.LogRecord) -> str:
        """The record as the console handler writes it (with any traceback), its arguments,
        and every extra attribute (a handler shipping records elsewhere might send those)."""
        extras = {k: v for k, v in vars(record).items() if k not in STANDARD_ATTRIBUTES}
        return f"{self.format(record)} {record.args!r} {extras!r}"


def _configured_level(name: str) -> int:
    """The level settings.LOGGING, over Django's DEFAULT_LOGGING, gives a named logger."""
    for config in (settings.LOGGING, DEFAULT_LOGGING):
        level = config.get("loggers", {}).get(name, {}).get("level")
        if level:
            return logging.getLevelName(level)
    return logging.NOTSET  # inherits


@pytest.fixture(params=[PRODUCTION, ENV_DEBUG, ALL_DEBUG])
def captured(request):
    capture = Capture()
    app = sorted(n for n in logging.root.manager.loggerDict if n.startswith("earlyhelp."))
    named = [logging.getLogger(name) for name in NAMED_LOGGERS + app]
    root = logging.getLogger()
    saved = [(lg, lg.level, lg.disabled) for lg in [root, *named]]
    root.setLevel(settings.LOGGING["root"]["level"] if request.param == PRODUCTION else "DEBUG")
    for lg in named:
        lg.setLevel(logging.DEBUG if request.param == ALL_DEBUG else _configured_level(lg.name))
    for lg in [root, *named]:
        lg.disabled = False
        lg.addHandler(capture)
    capture.levels = request.param
    yield capture
    for lg, level, disabled in saved:
        lg.removeHandler(capture)
        lg.setLevel(level)
        lg.disabled = disabled


def test_production_logs_at_info_by_default():
    assert settings.LOGGING["root"]["level"] == "INFO"
    assert logging.getLogger("django").getEffectiveLevel() == logging.INFO


def test_the_capture_finds_a_name_whichever_logger_it_is_logged_through(captured, family):
    """The check below can fail: a name logged through an app logger, a propagating Django
    logger and one that does not propagate (django.server) is caught and found."""
    for name in ("earlyhelp.people.views", "django.request", "django.server"):
        logging.getLogger(name).warning("looked at %s", family["yusuf"].given_name)
    found = [r.name for r in captured.records if "yusuf" in captured.text(r).lower()]
    assert found == ["earlyhelp.people.views", "django.request", "django.server"]


def _date_forms(day: date) -> list[str]:
    """A date of birth as logs, templates, reprs and people write it."""
    return [
        day.isoformat(),
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d-%m-%Y}",
        f"{day:%Y%m%d}",
        f"{day.day} {day:%B %Y}",
        f"{day:%d %B %Y}",
        f"{day.day} {day:%b %Y}",
        f"{day:%B} {day.day}, {day.year}",
        repr(day),  # datetime.date(2016, 2, 9), as a traceback or a dumped context shows it
    ]


def _secrets(family: dict) -> set[str]:
    """Everything about the family and the new person that must never be logged, lower case."""
    people = [
        (p.given_name, p.family_name, p.date_of_birth)
        for k, p in family.items()
        if k != "household"
    ]
    secrets = {SEARCH_TERM, BREAK_GLASS_REASON, "Malden Road", "NW5 3HS", "NW53HS"}
    for given, family_name, born in [*people, NEW_PERSON]:
        secrets |= {given, family_name, *_date_forms(born)}
    for n in (NHS_NUMBER, NEW_NHS_NUMBER, WRONG_NHS_NUMBER):
        secrets |= {n, f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}"}
    return {secret.lower() for secret in secrets}


def _signed_in(username: str) -> Client:
    """A fresh browser signed in through the real two steps: password, then code."""
    client = Client()
    client.post(reverse("access:login"), {"username": username, "password": STRONG_PASSWORD})
    device = User.objects.get(username=username).totpdevice_set.get()
    response = client.post(reverse("access:sign_in_code"), {"code": current_code(device)})
    assert response.status_code == 302 and response.url == reverse("web:home")
    return client


def _a_working_session(family, case, make_user, team) -> None:
    """Sign-ins, searches, a new person, a record, a 404, a missing document, refusals and
    break-glass: what a day's work sends through the logging."""
    yusuf = family["yusuf"]
    yusuf.nhs_number = NHS_NUMBER
    yusuf.save()
    team.members.add(make_user("priya", Role.PRACTITIONER))
    olu = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(olu)
    missing = DocumentFactory(
        case=case,
        kind="report",
        title="Yusuf Haddad school report",
        content_type="application/pdf",
        size=10,
        sha256="ab" * 32,  # no file was ever stored
    )

    wrong = {"username": "priya", "password": "not-the-password"}
    assert Client().post(reverse("access:login"), wrong).status_code == 200
    worker = _signed_in("priya")

    person_page = reverse("people:person", args=[yusuf.public_id])
    for term in (
        {"name": SEARCH_TERM},
        {"date_of_birth_day": "9", "date_of_birth_month": "2", "date_of_birth_year": "2016"},
        {"nhs_number": "999 000 0018"},
        {"postcode": "nw5 3hs"},
    ):
        found = worker.post(reverse("people:search"), term)
        assert found.status_code == 200 and person_page in found.content.decode(), term
    form_error = {"name": "Haddad", "nhs_number": "943 476 5918"}
    page = worker.post(reverse("people:search"), form_error).content.decode()
    assert "its last digit does not check" in page

    given, family_name, born = NEW_PERSON
    new = {
        "given_name": given,
        "family_name": family_name,
        "date_of_birth_day": str(born.day),
        "date_of_birth_month": str(born.month),
        "date_of_birth_year": str(born.year),
        "nhs_number": "485 777 3457",
        "postcode": "NW5 3HS",
    }
    create = reverse("people:create")
    assert worker.post(create, {**new, "family_name": ""}).status_code == 200  # a form error
    assert worker.post(create, new).status_code == 302
    assert Person.objects.filter(given_name=given, date_of_birth=born).exists()

    assert worker.get(person_page).status_code == 200
    assert worker.get(reverse("people:person", args=[uuid.uuid4()])).status_code == 404
    assert worker.get(reverse("cases:document", args=[missing.public_id])).status_code == 410

    outsider = _signed_in("olu")
    assert outsider.get(person_page).status_code == 403
    edit = {"given_name": "Yusuf", "family_name": "Haddad", "nhs_number": NHS_NUMBER}
    assert outsider.post(reverse("people:edit", args=[yusuf.public_id]), edit).status_code == 403
    glass = reverse("people:break_glass", args=[yusuf.public_id])
    assert outsider.post(glass, {"reason": BREAK_GLASS_REASON}).status_code == 302
    assert outsider.get(person_page).status_code == 200


def test_a_working_session_leaves_no_family_data_in_the_logs(
    captured, family, case, make_user, team, settings, tmp_path
):
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    _a_working_session(family, case, make_user, team)

    # The capture works: the records this session must produce at INFO are all there.
    kinds = Counter(
        (r.name, r.levelname, r.getMessage().split(":")[0].split(" by ")[0])
        for r in captured.records
    )
    assert kinds[("django.request", "WARNING", "Forbidden")] == 2
    assert kinds[("django.request", "WARNING", "Not Found")] == 1
    assert kinds[("django.request", "WARNING", "Gone")] == 1
    missing = [r for r in captured.records if r.name == "earlyhelp.cases.documents"]
    assert [r.levelname for r in missing] == ["ERROR"]
    assert missing[0].getMessage().endswith("is missing")
    assert kinds[("axes.handlers.database", "WARNING", "AXES")] == 1  # the failed sign-in
    # 14 at production levels today: 9 from axes, 4 from django.request, 1 from documents.
    assert len(captured.records) >= 14

    secrets = _secrets(family)
    leaks = [
        (record.name, record.levelname, secret)
        for record in captured.records
        for secret in sorted(secrets)
        if secret in captured.text(record).lower()
    ]
    # With every logger at DEBUG too: settings.LOGGING pins django.template at INFO, whose
    # DEBUG records would carry the whole template context (the search, the people shown).
    assert not leaks, leaks
