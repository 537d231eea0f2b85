"""Measurements on a generated database, run by bench/run.py once per database.

    DATABASE_URL=... python bench/measure.py RESULT.json
    DATABASE_URL=... python bench/measure.py --analyze
    python bench/measure.py --fingerprint SEED AS_OF

Runs inside a Django-configured process (DJANGO_SETTINGS_MODULE=earlyhelp.settings) and
writes its figures to RESULT.json:

  search        person search p50/p95/max over a few hundred varied queries drawn
                deterministically from the generated people;
  chronology    server time of the household chronology page for a family with 2,000
                events, through Django's test Client with a signed-in practitioner;
  caseload      the team manager's home page (work lists) for the team nearest 2,000 open
                cases and for the largest team, the no-recent-contact list sorted by last
                contact, and the home page of the practitioner with the most open cases;
  contacts      contacts recorded per second with cases.services.record_contact, one
                transaction a contact;
  audit         `audit verify` over the kept trail of BENCH_AUDIT_EVENTS (1,000,000)
                events, added once with a bulk, chain-correct writer; the mean/p95 of
                one record(); the person page with auditing, and with record() replaced
                by a no-op (for this figure only: the service cannot turn auditing off);
  bundle        a subject access bundle for a child in the 2,000-event family: made
                (data map, proposals), every proposal accepted, approved (the PDF);
  extract       `earlyhelp extract liia` over the whole database (cohort query, the
                policy's rules, CSV + Parquet + manifest, the record and its audit event).

The rows it needs are made idempotently: the bench practitioner is reused, the
chronology family keeps the contacts added to reach 2,000 events (so the next run finds
it ready), and the contacts recorded for the throughput figure are deleted afterwards.
Audit events are never deleted, so the trail only grows, by about a thousand a run; the
bench practitioner joins the team of the throughput case, to open its person page.

BENCH_ONLY=search or BENCH_ONLY=bundle measures only that section; BENCH_ONLY=retention
only what the database is and holds (bench/run.py then times bench/retention.py itself, on
a scratch copy of the database).

--analyze gathers the planner's statistics after a database is generated, as
autovacuum would on a PostgreSQL server in service (SQLite never does it by itself).
--fingerprint prints a digest of what the generator makes for a seed (see
generator_fingerprint), by which bench/run.py knows a kept database is out of date.
"""

import hashlib
import json
import logging
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
django.setup()
logging.getLogger("axes").setLevel(logging.WARNING)  # not a line for every sign-in

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from earlyhelp.access.models import User  # noqa: E402
from earlyhelp.access.roles import Role  # noqa: E402
from earlyhelp.cases.models import Case, CaseMember, Contact, Team  # noqa: E402
from earlyhelp.people.models import Household, Person, PersonAddress  # noqa: E402

SEED = 20261125  # the draws of queries and contact times; fixed so runs compare
SEARCH_QUERIES = 300
CHRONOLOGY_EVENTS = 2000
# Exports of one person timed for the subject-export figure (each writes a whole file).
SUBJECT_EXPORTS = 5
CHRONOLOGY_REQUESTS = 30
THROUGHPUT_CONTACTS = 500
BENCH_USERNAME = "bench-practitioner"
BENCH_MARK = "[bench]"  # starts the note of every contact the benchmarks add


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(cuts[94], 2),
        "max_ms": round(ordered[-1], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def database_info() -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SHOW shared_buffers")
            extra = {"shared_buffers": cursor.fetchone()[0]}
        else:
            cursor.execute("SELECT sqlite_version()")
            version = cursor.fetchone()[0]
            extra = {}
    return {"engine": connection.vendor, "version": version, **extra}


def dataset_info() -> dict[str, int]:
    return {
        "persons": Person.objects.count(),
        "households": Household.objects.count(),
        "cases": Case.objects.count(),
        "contacts": Contact.objects.count(),
    }


# -- the bench practitioner ------------------------------------------------------------------


def bench_user() -> User:
    """A practitioner with a confirmed authenticator, the same one every run."""
    user, created = User.objects.get_or_create(
        username=BENCH_USERNAME, defaults={"first_name": "Bench", "last_name": "Practitioner"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get_or_create(name=Role.PRACTITIONER.value)[0])
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
    return user


def signed_in_client(user: User) -> Client:
    """A test client signed in as `user`, second factor included (as tests/conftest.py)."""
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.filter(confirmed=True)[0].persistent_id
    session.save()
    return client


# -- (a) person search -----------------------------------------------------------------------


def typo(name: str, rng: random.Random) -> str:
    """One slip of the keyboard: a letter dropped, doubled, swapped with the next or changed."""
    letters = list(name)
    if len(letters) < 3:
        return name + name[-1]
    at = rng.randrange(1, len(letters) - 1)
    slip = rng.choice(("drop", "double", "swap", "change"))
    if slip == "drop":
        del letters[at]
    elif slip == "double":
        letters.insert(at, letters[at])
    elif slip == "swap":
        letters[at], letters[at + 1] = letters[at + 1], letters[at]
    else:
        letters[at] = rng.choice("aeiounrst")
    return "".join(letters)


def search_queries(rng: random.Random) -> list[tuple[str, int, Any]]:
    """(kind, person id, PersonQuery), drawn from people spread across the whole table."""
    from earlyhelp.people.search import PersonQuery

    highest = Person.objects.aggregate(Max("id"))["id__max"] or 0
    wanted = sorted(rng.sample(range(1, highest + 1), min(highest, SEARCH_QUERIES * 2)))
    people = list(
        Person.objects.filter(id__in=wanted, merged_into=None)
        .exclude(date_of_birth=None)
        .order_by("id")
        .values("id", "given_name", "family_name", "date_of_birth", "nhs_number")
    )
    postcodes = dict(
        PersonAddress.objects.filter(
            person_id__in=[p["id"] for p in people], moved_out=None
        ).values_list("person_id", "address__postcode")
    )
    kinds = ("typo", "swapped", "dob", "postcode", "nhs", "name_and_dob")
    queries = []
    for index, person in enumerate(people):
        if len(queries) == SEARCH_QUERIES:
            break
        kind = kinds[index % len(kinds)]
        given, family = person["given_name"], person["family_name"]
        if kind == "typo":
            if rng.random() < 0.5:
                query = PersonQuery(name=f"{given} {typo(family, rng)}")
            else:
                query = PersonQuery(name=f"{typo(given, rng)} {family}")
        elif kind == "swapped":
            query = PersonQuery(name=f"{family} {given}")
        elif kind == "dob":
            query = PersonQuery(date_of_birth=person["date_of_birth"])
        elif kind == "postcode":
            if person["id"] not in postcodes:
                continue  # lives elsewhere: no address recorded
            query = PersonQuery(postcode=postcodes[person["id"]])
        elif kind == "nhs":
            if not person["nhs_number"]:
                continue
            query = PersonQuery(nhs_number=person["nhs_number"])
        else:
            query = PersonQuery(name=f"{given} {family}", date_of_birth=person["date_of_birth"])
        queries.append((kind, person["id"], query))
    return queries


def bench_search() -> dict[str, Any]:
    from earlyhelp.people.search import search_people

    rng = random.Random(SEED)  # noqa: S311 - reproducible draws, not secrets
    queries = search_queries(rng)
    for _, _, query in queries[:10]:
        search_people(query)  # warm the caches and the connection
    samples: dict[str, list[float]] = {}
    found: dict[str, int] = {}
    for kind, person_id, query in queries:
        ms, matches = timed(lambda q=query: search_people(q))
        samples.setdefault(kind, []).append(ms)
        found[kind] = found.get(kind, 0) + any(m.person.pk == person_id for m in matches)
    every = [ms for kind_samples in samples.values() for ms in kind_samples]
    return {
        **percentiles(every),
        "target_p95_ms": 50,
        "by_kind": {
            kind: {**percentiles(ms), "found_share": round(found[kind] / len(ms), 3)}
            for kind, ms in samples.items()
        },
    }


# -- (a2) search recall: does the person come back, whatever slip the worker made? -------------

RECALL_PER_KIND = 200
RECALL_TOP = 10
# A sampled person's exact name is shared by fewer than this many people (a name that
# many share cannot be told apart by name alone, whatever the search does).
RECALL_NAME_SHARED_BY = 5
RECALL_DRAW = 40_000  # ids drawn at random to find the people each kind needs


def slip(word: str, how: str, rng: random.Random) -> str:
    """One slip in a word: "substitute" a letter, "delete" one, "transpose" two side by side.
    The first letter is kept (it is the one people get right)."""
    letters = list(word)
    at = rng.randrange(1, len(letters) - 1)
    if how == "delete":
        del letters[at]
    elif how == "transpose":
        letters[at], letters[at + 1] = letters[at + 1], letters[at]
        if letters == list(word):  # "Anna": swapping equal letters changes nothing
            letters[at] = "x" if letters[at] != "x" else "z"
    else:
        old = letters[at].lower()
        letters[at] = rng.choice([c for c in "aeioulnrstdm" if c != old])
    return "".join(letters)


def _plain(text: str) -> str:
    """Accents and apostrophes left out, as a worker without the keys types it."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(dict.fromkeys(map(ord, "'’"), None)).replace("ł", "l")


def _halves(family: str) -> list[str]:
    """The words of a family name a worker may give alone: "Lloyd" or "Jones" of
    "Lloyd-Jones", "Luca" of "De Luca"; never a particle ("De", "Al", "Ó") on its own."""
    from earlyhelp.people.matching import PARTICLES, normalise_name

    return [
        word
        for word in family.replace("-", " ").split()
        if len(normalise_name(word)) > 1 and normalise_name(word) not in PARTICLES
    ]


def _other_form(given: str, rng: random.Random) -> str | None:
    from earlyhelp.people.matching import normalise_name
    from earlyhelp.people.variants import alternatives, full_forms_of, short_forms_of, spellings_of

    first = normalise_name(given).split()[:1]
    if not first:
        return None
    # Spellings and short forms that are names in their own right, not the rare ones.
    known = sorted(
        (spellings_of(first[0]) | short_forms_of(first[0]) | full_forms_of(first[0]))
        & alternatives(first[0])
    )
    return rng.choice(known).capitalize() if known else None


RECALL_KINDS = {
    # kind: (given, family, rng) -> (the name typed, "swap" when the date of birth is typed
    # with day and month swapped, else None); _eligible says whom each kind can be made of
    "given: letter changed": lambda g, f, rng: (f"{slip(g, 'substitute', rng)} {f}", None),
    "given: letter left out": lambda g, f, rng: (f"{slip(g, 'delete', rng)} {f}", None),
    "given: two letters swapped": lambda g, f, rng: (f"{slip(g, 'transpose', rng)} {f}", None),
    "family: letter changed": lambda g, f, rng: (f"{g} {slip(f, 'substitute', rng)}", None),
    "family: letter left out": lambda g, f, rng: (f"{g} {slip(f, 'delete', rng)}", None),
    "family: two letters swapped": lambda g, f, rng: (f"{g} {slip(f, 'transpose', rng)}", None),
    "names the other way round": lambda g, f, rng: (f"{f} {g}", None),
    "one half of a double family name, or its particle left out": lambda g, f, rng: (
        f"{g} {rng.choice(_halves(f))}",
        None,
    ),
    "accents and apostrophes left out": lambda g, f, rng: (f"{_plain(g)} {_plain(f)}", None),
    "day and month of birth swapped": lambda g, f, rng: (f"{g} {f}", "swap"),
    "spelling variant or nickname": lambda g, f, rng: (f"{_other_form(g, rng)} {f}", None),
}


def _eligible(kind: str, given: str, family: str, born: date) -> bool:
    if kind.startswith("given:"):
        return len(given) >= 4 and " " not in given
    if kind.startswith("family:"):
        return len(family) >= 4 and " " not in family and "-" not in family
    if kind == "one half of a double family name, or its particle left out":
        return len(family.replace("-", " ").split()) >= 2 and bool(_halves(family))
    if kind == "accents and apostrophes left out":
        return _plain(given + family) != given + family
    if kind == "day and month of birth swapped":
        return born.day <= 12 and born.day != born.month
    if kind == "spelling variant or nickname":
        return _other_form(given, random.Random(0)) is not None  # noqa: S311
    return True


def recall_sample(rng: random.Random) -> dict[str, list[tuple[int, str, date]]]:
    """For each kind: (person id, name typed, date of birth typed), for up to
    RECALL_PER_KIND people drawn at random whose exact name fewer than
    RECALL_NAME_SHARED_BY people share."""
    highest = Person.objects.aggregate(Max("id"))["id__max"] or 0
    drawn = rng.sample(range(1, highest + 1), min(highest, RECALL_DRAW))
    people = list(
        Person.objects.filter(id__in=drawn, merged_into=None)
        .exclude(date_of_birth=None)
        .values_list("id", "given_name", "family_name", "given_key", "family_key", "date_of_birth")
    )
    rng.shuffle(people)
    shared: dict[tuple[str, str], int] = {}
    wanted: dict[str, list[tuple[int, str, date]]] = {kind: [] for kind in RECALL_KINDS}
    for pk, given, family, given_key, family_key, born in people:
        kinds = [
            kind
            for kind in RECALL_KINDS
            if len(wanted[kind]) < RECALL_PER_KIND and _eligible(kind, given, family, born)
        ]
        if not kinds:
            continue
        if (given, family) not in shared:
            shared[given, family] = Person.objects.filter(
                given_key=given_key, family_key=family_key, given_name=given, family_name=family
            ).count()
        if shared[given, family] >= RECALL_NAME_SHARED_BY:
            continue
        for kind in kinds:
            name, date_typed = RECALL_KINDS[kind](given, family, rng)
            typed_born = date(born.year, born.day, born.month) if date_typed == "swap" else born
            wanted[kind].append((pk, name, typed_born))
        if all(len(v) >= RECALL_PER_KIND for v in wanted.values()):
            break
    return wanted


def bench_search_recall() -> dict[str, Any]:
    """Recall within the top RECALL_TOP, per kind of slip, by name alone and with the date
    of birth, with the time of each search."""
    from earlyhelp.people.search import PersonQuery, search_people

    rng = random.Random(SEED)  # noqa: S311 - reproducible draws, not secrets
    sample = recall_sample(rng)
    for kind_sample in list(sample.values())[:1]:
        for _, name, _ in kind_sample[:10]:
            search_people(PersonQuery(name=name), limit=RECALL_TOP)  # warm up
    by_kind: dict[str, Any] = {}
    every_ms: list[float] = []
    found_alone = found_dob = asked = 0
    for kind, queries in sample.items():
        if not queries:
            by_kind[kind] = {"n": 0}
            continue
        alone = with_dob = 0
        times: list[float] = []
        for pk, name, born in queries:
            ms, matches = timed(lambda n=name: search_people(PersonQuery(name=n), limit=RECALL_TOP))
            times.append(ms)
            alone += any(m.person.pk == pk for m in matches)
            ms, matches = timed(
                lambda n=name, b=born: search_people(
                    PersonQuery(name=n, date_of_birth=b), limit=RECALL_TOP
                )
            )
            times.append(ms)
            with_dob += any(m.person.pk == pk for m in matches)
        every_ms += times
        found_alone += alone
        found_dob += with_dob
        asked += len(queries)
        by_kind[kind] = {
            "n": len(queries),
            "recall_name_alone": round(alone / len(queries), 3),
            "recall_name_and_dob": round(with_dob / len(queries), 3),
            **{k: v for k, v in percentiles(times).items() if k != "n"},
        }
    return {
        "top": RECALL_TOP,
        "recall_name_alone": round(found_alone / asked, 3) if asked else None,
        "recall_name_and_dob": round(found_dob / asked, 3) if asked else None,
        **percentiles(every_ms),
        "targets": {
            "name_and_dob_each_kind": 0.99,
            "name_alone_overall": 0.95,
            "name_alone_each_kind": 0.90,
            "p95_ms": 50,
        },
        "by_kind": by_kind,
    }


# -- (b) the chronology page -----------------------------------------------------------------


def chronology_household() -> Household:
    """The family with the most contacts: once grown to 2,000 events it stays the one chosen."""
    top = (
        Contact.objects.values("case__household")
        .exclude(case__household=None)
        .annotate(n=Count("id"))
        .order_by("-n", "case__household")
        .first()
    )
    if top is None:
        raise SystemExit("the database has no contacts: generate families first")
    return Household.objects.get(pk=top["case__household"])


def grow_chronology(household: Household, author: User) -> int:
    """Add contacts to the family's cases until its chronology has 2,000 events."""
    from earlyhelp.cases.chronology import household_chronology

    events = len(household_chronology(household))
    missing = CHRONOLOGY_EVENTS - events
    if missing <= 0:
        return events
    cases = list(Case.objects.filter(household=household).order_by("started"))
    members: dict[int, list[int]] = {}
    for case_id, person_id in CaseMember.objects.filter(case__in=cases).values_list(
        "case_id", "person_id"
    ):
        members.setdefault(case_id, []).append(person_id)
    here = timezone.get_current_timezone()
    rng = random.Random(SEED)  # noqa: S311 - reproducible draws, not secrets
    notes = list(
        Contact.objects.exclude(case__household=household)
        .order_by("id")
        .values_list("note", flat=True)[:500]
    )
    kinds = ("home_visit", "phone_call", "meeting", "session")
    with transaction.atomic():
        for start in range(0, missing, 500):
            rows = []
            for _ in range(min(500, missing - start)):
                case = rng.choice(cases)
                last = case.ended or timezone.localdate()
                span = max(1, (last - case.started).days)
                day = case.started + timedelta(days=rng.randrange(span))
                rows.append(
                    Contact(
                        case=case,
                        author=author,
                        kind=rng.choice(kinds),
                        occurred_at=datetime(
                            day.year, day.month, day.day, rng.randrange(9, 18), tzinfo=here
                        ),
                        note=f"{BENCH_MARK} {rng.choice(notes)}",
                    )
                )
            created = Contact.objects.bulk_create(rows)
            present = [
                Contact.people_present.through(contact_id=contact.pk, person_id=member)
                for contact in created
                for member in members.get(contact.case_id, [])[:2]
            ]
            Contact.people_present.through.objects.bulk_create(present)
    return len(household_chronology(household))


def bench_chronology(user: User) -> dict[str, Any]:
    household = chronology_household()
    events = grow_chronology(household, user)
    # Need-to-know: the bench practitioner works in the team holding the family's case.
    for case in Case.objects.filter(household=household).select_related("team"):
        case.team.members.add(user)
    client = signed_in_client(user)
    url = reverse("people:household_chronology", kwargs={"household_id": household.public_id})
    response = client.get(url)
    if response.status_code != 200:
        return {"error": f"GET chronology answered {response.status_code}", "events": events}
    for _ in range(2):
        client.get(url)  # warm
    # Counted with an execute wrapper: a request resets Django's own query log.
    statements: list[str] = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    samples = []
    for _ in range(CHRONOLOGY_REQUESTS):
        ms, response = timed(lambda: client.get(url))
        samples.append(ms)
    return {
        **percentiles(samples),
        "target_ms": 200,
        "events": events,
        "queries_a_request": len(statements),
        "page_bytes": len(response.content),
    }


# -- (b2) the work lists ---------------------------------------------------------------------

CASELOAD_TEAM_CASES = 2000  # the team: "a team with 2,000 open cases"
CASELOAD_REQUESTS = 30
BENCH_MANAGER = "bench-manager"


def caseload_teams() -> list[tuple[Team, int]]:
    """(team, open cases): the team whose open cases are nearest above 2,000 (the target's
    team), and the team with the most (the worst case), once each."""
    counts = list(
        Team.objects.filter(cases__ended__isnull=True)
        .annotate(open_cases=Count("cases"))
        .order_by("open_cases")
    )
    if not counts:
        return []
    target = next((t for t in counts if t.open_cases >= CASELOAD_TEAM_CASES), counts[-1])
    largest = counts[-1]
    teams = [target] if target.pk == largest.pk else [target, largest]
    return [(team, team.open_cases) for team in teams]


def _timed_page(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    if response.status_code != 200:
        return {"error": f"GET {url} answered {response.status_code}"}
    for _ in range(2):
        client.get(url)  # warm
    statements: list[str] = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    samples = [timed(lambda: client.get(url))[0] for _ in range(CASELOAD_REQUESTS)]
    return {**percentiles(samples), "queries_a_request": len(statements)}


def bench_caseload() -> dict[str, Any]:
    """The team manager's home page (the team's open cases, a page of 25 with the counts of
    every list and a look recorded per child named) and the slowest-sorted list (no recent
    contact, by last contact), for the team nearest 2,000 open cases and the largest team;
    and a practitioner's home page for the worker with the most open cases."""
    manager, _ = User.objects.get_or_create(
        username=BENCH_MANAGER, defaults={"first_name": "Bench", "last_name": "Manager"}
    )
    manager.groups.add(Group.objects.get_or_create(name=Role.TEAM_MANAGER.value)[0])
    if not TOTPDevice.objects.filter(user=manager, confirmed=True).exists():
        TOTPDevice.objects.create(user=manager, name="Bench", confirmed=True)
    figures: dict[str, Any] = {"target_ms": 300, "teams": []}
    for team, open_cases in caseload_teams():
        manager.teams.set([team])
        client = signed_in_client(manager)
        figures["teams"].append(
            {
                "open_cases": open_cases,
                "home": _timed_page(client, reverse("web:home")),
                "no_recent_contact_by_last_contact": _timed_page(
                    client,
                    reverse("cases:work_list", args=["no-recent-contact"])
                    + "?sort=last-contact&order=desc",
                ),
            }
        )
    manager.teams.clear()
    busiest = (
        User.objects.filter(allocated_cases__ended__isnull=True)
        .annotate(open_cases=Count("allocated_cases"))
        .order_by("-open_cases")
        .first()
    )
    if busiest is not None:
        if not TOTPDevice.objects.filter(user=busiest, confirmed=True).exists():
            TOTPDevice.objects.create(user=busiest, name="Bench", confirmed=True)
        figures["practitioner"] = {
            "open_cases": busiest.open_cases,
            "home": _timed_page(signed_in_client(busiest), reverse("web:home")),
        }
    return figures


def governance_and_child(user: User) -> tuple[User, Person]:
    """The bench's information governance officer, and the first child of the chronology
    family (grown to 2,000 events), for the subject export and bundle figures."""
    household = chronology_household()
    grow_chronology(household, user)
    officer, _ = User.objects.get_or_create(
        username="bench-governance", defaults={"first_name": "Bench", "last_name": "Officer"}
    )
    officer.groups.add(Group.objects.get_or_create(name=Role.INFORMATION_GOVERNANCE.value)[0])
    person = (
        CaseMember.objects.filter(case__household=household, role="child")
        .order_by("person_id")
        .first()
        .person
    )
    return officer, person


def bench_subject_export(user: User) -> dict[str, Any]:
    """`earlyhelp subject export` of a child in the chronology family (2,000 events): the
    whole export, from walking the data map to the JSON file written and audited."""
    import tempfile

    from earlyhelp.datamap.export import export_subject

    officer, person = governance_and_child(user)
    samples, exported = [], None
    with tempfile.TemporaryDirectory() as out:
        for _ in range(SUBJECT_EXPORTS):
            ms, exported = timed(lambda: export_subject(person, Path(out), officer))
            samples.append(ms)
        size = exported.path.stat().st_size
    return {
        **percentiles(samples),
        "target_ms": 2000,
        "rows": exported.rows,
        "contacts": exported.rows_by_model.get("cases.Contact", 0),
        "file_bytes": size,
    }


def bench_bundle(user: User) -> dict[str, Any]:
    """A subject access bundle for a child in the chronology family (2,000 events), as the
    officer makes it: gathered from the data map with redactions proposed, every proposal
    accepted, approved into the PDF with the redactions burned in. Target under 30 s."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from earlyhelp.bundles import services as bundles
    from earlyhelp.rights.models import RequestPerson
    from earlyhelp.rights.services import create_request

    officer, person = governance_and_child(user)
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    request.user = officer
    request.session = SessionStore()
    rights_request = create_request(
        None,
        kind="request",
        channel="letter",
        received=timezone.localdate(),
        requester_is="self",
        requester_name=person.full_name,
        reply_by="post",
        rights_asked=["access"],
        subject_name=person.full_name,
        handled_by=officer,
        identity_evidence_received=timezone.localdate(),
        identity_evidence="Bench",
    )
    RequestPerson.objects.create(request=rights_request, person=person, added_by=officer)
    made_ms, bundle = timed(lambda: bundles.make_bundle(request, rights_request))
    decide_ms, decided = timed(lambda: bundles.decide_all(request, bundle, "third-party"))
    approve_ms, bundle = timed(lambda: bundles.approve(request, bundle))
    # The request stays, closed, so the next run makes its own.
    rights_request.status = "answered"
    rights_request.closed_on = timezone.localdate()
    rights_request.save(update_fields=["status", "closed_on"])
    return {
        "seconds": round((made_ms + decide_ms + approve_ms) / 1000, 2),
        "make_seconds": round(made_ms / 1000, 2),
        "accept_all_seconds": round(decide_ms / 1000, 2),
        "approve_pdf_seconds": round(approve_ms / 1000, 2),
        "target_seconds": 30,
        "items": bundle.items.count(),
        "proposals": decided,
        "pages": bundle.page_count,
    }


# -- (c) create-contact throughput -----------------------------------------------------------


def throughput_case(avoid: Household) -> Case:
    """An open case of another family, the same each run."""
    case = (
        Case.objects.filter(ended=None)
        .exclude(household=avoid)
        .exclude(household=None)
        .order_by("id")
        .first()
    )
    if case is None:
        raise SystemExit("the database has no open case to record contacts on")
    return case


def bench_record_contact(user: User) -> dict[str, Any]:
    from earlyhelp.cases.services import record_contact

    case = throughput_case(chronology_household())
    present = list(Person.objects.filter(case_memberships__case=case)[:3])
    rng = random.Random(SEED)  # noqa: S311 - reproducible draws, not secrets
    notes = list(case.contacts.order_by("id").values_list("note", flat=True)[:50]) or ["Visit."]
    # Contacts an interrupted run left behind. Notes are encrypted, so they are told apart
    # after decryption, not by a database filter.
    left = [c.pk for c in case.contacts.only("pk", "note") if c.note.startswith(BENCH_MARK)]
    Contact.objects.filter(pk__in=left).delete()
    samples, made = [], []
    started = time.perf_counter()
    for number in range(THROUGHPUT_CONTACTS):
        occurred = timezone.now() - timedelta(minutes=number)

        def record(at: datetime = occurred) -> Contact:
            with transaction.atomic():
                return record_contact(
                    case=case,
                    author=user,
                    kind=rng.choice(("home_visit", "phone_call", "meeting")),
                    occurred_at=at,
                    note=f"{BENCH_MARK} {rng.choice(notes)}",
                    people_present=present,
                )

        ms, contact = timed(record)
        samples.append(ms)
        made.append(contact.pk)
    seconds = time.perf_counter() - started
    Contact.objects.filter(pk__in=made).delete()
    return {
        "contacts": THROUGHPUT_CONTACTS,
        "seconds": round(seconds, 2),
        "contacts_per_second": round(THROUGHPUT_CONTACTS / seconds, 1),
        "latency": percentiles(samples),
    }


# -- (d) the audit trail ---------------------------------------------------------------------

AUDIT_EVENTS = 1_000_000  # in the kept trail, for the verify figure (BENCH_AUDIT_EVENTS)
AUDIT_FILL_BATCH = 5000
AUDIT_VERIFY_BATCH = 10_000
AUDIT_RECORDS = 500
AUDIT_PAGE_REQUESTS = 40


def fill_audit_trail(events: int, user: User) -> int:
    """Append chain-correct events until the trail holds `events`; kept for the next run.

    Written as record() would write them (the head locked, each hash over the row before),
    but a batch at a time with bulk_create. Returns how many were added.
    """
    from earlyhelp.audit.chain import HASHED_FIELDS, event_hash
    from earlyhelp.audit.keys import key_ring
    from earlyhelp.audit.models import AuditChainHead, AuditEvent

    head = AuditChainHead.objects.filter(pk=1).first()
    missing = events - (head.last_id if head else 0)
    if missing <= 0:
        return 0
    print(f"    adding {missing:,} audit events (once; not timed)", flush=True)
    ids = Person.objects.order_by("id").values_list("public_id", flat=True)[:5000]
    people = [str(public_id) for public_id in ids] or [""]
    rng = random.Random(SEED)  # noqa: S311 - reproducible draws, not secrets
    categories = (["identity-and-contact"], ["household-members", "family-relationships"])
    key_id = key_ring().current_id
    added = 0
    while added < missing:
        with transaction.atomic():
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
            last_id, last_hash = head.last_id, head.last_hash
            at = timezone.now()
            rows = []
            for number in range(min(AUDIT_FILL_BATCH, missing - added)):
                event = AuditEvent(
                    id=last_id + 1,
                    at=at + timedelta(microseconds=number),
                    actor_id=user.pk,
                    actor_username=user.username,
                    action="view",
                    record_type="person",
                    record_id=rng.choice(people),
                    categories=rng.choice(categories),
                    ip_address=f"10.0.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                    rule="access:allocation",
                    details={},
                    previous_hash=last_hash,
                    key_id=key_id,
                )
                event.hash = event_hash([getattr(event, name) for name in HASHED_FIELDS], key_id)
                last_id, last_hash = event.id, event.hash
                rows.append(event)
            AuditEvent.objects.bulk_create(rows)
            head.last_id, head.last_hash = last_id, last_hash
            head.save(update_fields=["last_id", "last_hash"])
        added += len(rows)
    return added


def audit_person(user: User) -> Person:
    """A person on an open case of a team the bench practitioner joins: they may open it."""
    case = throughput_case(chronology_household())
    case.team.members.add(user)
    person = Person.objects.filter(case_memberships__case=case, merged_into=None).order_by("id")
    return person.first()


class AuditSwitchedOff:
    """record() replaced by a no-op wherever it was imported, for the unaudited figure.

    Only here, to measure: the service itself has no way to turn auditing off.
    """

    def __enter__(self) -> None:
        from earlyhelp.audit import log

        self.real = log.record
        self.bound = [
            (module, name)
            for module in list(sys.modules.values())
            for name, value in list(getattr(module, "__dict__", {}).items())
            if value is self.real
        ]
        for module, name in self.bound:
            setattr(module, name, lambda *args, **kwargs: None)

    def __exit__(self, *exc_info: object) -> None:
        for module, name in self.bound:
            setattr(module, name, self.real)


def bench_audit(user: User) -> dict[str, Any]:
    from django.test import RequestFactory

    from earlyhelp.audit.log import record
    from earlyhelp.audit.models import AuditChainHead
    from earlyhelp.audit.verify import anchor_chain, verify_chain

    wanted = int(os.environ.get("BENCH_AUDIT_EVENTS", AUDIT_EVENTS))
    added = fill_audit_trail(wanted, user)
    if AuditChainHead.objects.filter(unkeyed_until__gt=0).exists():
        # A kept trail from before the audit key: its SHA-256 events verify once vouched for
        # (untimed), and their count is in the figures; BENCH_REBUILD=1 makes them keyed.
        anchor_chain(batch_size=AUDIT_VERIFY_BATCH, vouch_unkeyed=True)
    verified = verify_chain(batch_size=AUDIT_VERIFY_BATCH)
    result: dict[str, Any] = {
        "verify": {
            "events": verified.events,
            "seconds": round(verified.seconds, 2),
            "events_per_second": round(verified.events / verified.seconds),
            "ok": verified.ok,
            "problem": verified.problem,
            "unkeyed": verified.unkeyed,
            "added_this_run": added,
        }
    }

    # The cost of one event: record() in its own transaction, as a view calls it.
    person = audit_person(user)
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    request.user = user
    samples = []
    for _ in range(AUDIT_RECORDS):
        ms, _ = timed(
            lambda: record(
                request,
                action="view",
                record_type="person",
                record_id=person.public_id,
                categories=["identity-and-contact", "household-members"],
                rule="access:allocation",
            )
        )
        samples.append(ms)
    result["record"] = percentiles(samples)

    # The person page with record() as it is and with it a no-op, requests interleaved.
    client = signed_in_client(user)
    url = reverse("people:person", kwargs={"person_id": person.public_id})
    response = client.get(url)
    if response.status_code != 200:
        result["page"] = {"error": f"GET person page answered {response.status_code}"}
        return result
    before = AuditChainHead.objects.get().last_id
    client.get(url)
    events_per_page = AuditChainHead.objects.get().last_id - before
    audited, unaudited = [], []
    for _ in range(AUDIT_PAGE_REQUESTS):
        audited.append(timed(lambda: client.get(url))[0])
        with AuditSwitchedOff():
            unaudited.append(timed(lambda: client.get(url))[0])
    result["page"] = {
        "audited": percentiles(audited),
        "not_audited": percentiles(unaudited),
        "events_a_request": events_per_page,
        "cost_p50_ms": round(statistics.median(audited) - statistics.median(unaudited), 2),
    }
    return result


def bench_extract() -> dict[str, Any]:
    """`earlyhelp extract liia` over the whole database: cohort, rules, files and manifest."""
    import tempfile

    from earlyhelp.extracts.database import extract_from_records

    with tempfile.TemporaryDirectory() as folder:
        elapsed_ms, extract = timed(lambda: extract_from_records("liia", Path(folder)))
    return {
        "seconds": round(elapsed_ms / 1000, 2),
        "rows": extract.rows,
        "persons": Person.objects.count(),
    }


def attempt(name: str, bench: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run one benchmark; an interface that is not there yet is reported, not fatal."""
    print(f"  {name} ...", flush=True)
    try:
        return bench()
    except (ImportError, AttributeError, NoReverseMatch) as error:
        return {"error": f"could not run: {type(error).__name__}: {error}"}


def generator_fingerprint(seed: int, as_of: date, families: int = 300) -> str:
    """A digest of the seed's first families with their casework, and of the code writing them.

    It changes when the generator would make other data, not when its comments change.
    """
    from earlyhelp.synthetic import generator
    from earlyhelp.synthetic.casework import make_casework
    from earlyhelp.synthetic.families import FamilyFactory

    catalogue = generator.catalogue_for(seed, as_of)
    digest = hashlib.sha256(Path(generator.__file__).read_bytes())
    digest.update(repr(catalogue.teams).encode() + repr(catalogue.sessions).encode())
    factory = FamilyFactory(seed, as_of)
    for _ in range(families):
        family = factory.family()
        digest.update(repr(family).encode())
        digest.update(repr(make_casework(family, catalogue, as_of)).encode())
    return digest.hexdigest()


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    if sys.argv[1:2] == ["--fingerprint"] and len(sys.argv) == 4:
        print(generator_fingerprint(int(sys.argv[2]), date.fromisoformat(sys.argv[3])))
        return
    if len(sys.argv) != 2:
        raise SystemExit("usage: measure.py RESULT.json | --analyze | --fingerprint SEED AS_OF")
    if sys.argv[1] == "--analyze":
        analyze()
        return
    only = os.environ.get("BENCH_ONLY", "")
    if only == "bundle":
        # The subject access bundle alone (`BENCH_ONLY=bundle`).
        result = {
            "database": database_info(),
            "bundle": attempt("subject access bundle", lambda: bench_bundle(bench_user())),
        }
        Path(sys.argv[1]).write_text(json.dumps(result, indent=2, default=str) + "\n")
        return
    if only == "retention":
        # The retention figures alone (`BENCH_ONLY=retention`): bench/run.py times them on a
        # scratch copy after this; here only what the database is.
        result = {"database": database_info(), "dataset": dataset_info()}
        Path(sys.argv[1]).write_text(json.dumps(result, indent=2, default=str) + "\n")
        return
    if only == "search":
        # Search alone (`BENCH_ONLY=search`): recall and speed, without the slower sections.
        result = {
            "database": database_info(),
            "dataset": dataset_info(),
            "search": attempt("person search", bench_search),
            "search_recall": attempt("search recall", bench_search_recall),
        }
        Path(sys.argv[1]).write_text(json.dumps(result, indent=2, default=str) + "\n")
        return
    user = bench_user()
    result = {
        "database": database_info(),
        "dataset": dataset_info(),
        "search": attempt("person search", bench_search),
        "search_recall": attempt("search recall", bench_search_recall),
        "chronology": attempt("chronology page", lambda: bench_chronology(user)),
        "caseload": attempt("work lists", bench_caseload),
        "subject_export": attempt("subject export", lambda: bench_subject_export(user)),
        "bundle": attempt("subject access bundle", lambda: bench_bundle(user)),
        "record_contact": attempt("record contact", lambda: bench_record_contact(user)),
        "audit": attempt("audit trail", lambda: bench_audit(user)),
        "extract": attempt("LIIA extract", bench_extract),
    }
    Path(sys.argv[1]).write_text(json.dumps(result, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
