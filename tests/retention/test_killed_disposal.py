"""`earlyhelp retention dispose` killed with SIGKILL mid-run leaves no half-destroyed
person, and a rerun finishes the work (issue 18 item 4).

The command runs as a real process on a database file of its own (the test database of
the suite lives in memory on SQLite, out of another process's reach), killed at whatever
moment it has reached once a few people are destroyed.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

EARLYHELP = str(Path(sys.executable).parent / "earlyhelp")
PEOPLE = 40

# Run in `earlyhelp shell`: PEOPLE adults, each on a closed case of 2010 with a contact,
# a risk and their name keys, all due; planned and approved by the team's manager.
SETUP = f"""
from datetime import date, datetime, UTC
from django.contrib.auth.models import Group
from django.test import RequestFactory
from earlyhelp.access.models import User
from earlyhelp.cases.models import Case, CaseMember, Contact, Team
from earlyhelp.people.models import Address, Household, Person, Risk
from earlyhelp.people.name_index import index_names
from earlyhelp.retention.planning import plan
from earlyhelp.retention.services import approve

long_ago = datetime(2010, 6, 1, 12, tzinfo=UTC)
team = Team.objects.create(name="Family Support", service="family-support-and-complex-families")
manager = User.objects.create_user(username="manager", password="x" * 20)
manager.groups.add(Group.objects.get_or_create(name="team-manager")[0])
team.members.add(manager)  # the team's manager sees its people on a review
ids = []
for n in range({PEOPLE}):
    address = Address.objects.create(line_1=f"{{n}} Test Road", town="London", postcode="NW5 3HS")
    household = Household.objects.create(address=address, created_at=long_ago)
    person = Person.objects.create(
        given_name="Synthetic", family_name=f"Person{{n}}", date_of_birth=date(1970, 1, 1),
        created_at=long_ago,
    )
    case = Case.objects.create(
        service=team.service, team=team, household=household, reason="Support",
        started=date(2009, 1, 1), ended=date(2010, 6, 1), created_at=long_ago,
    )
    CaseMember.objects.create(case=case, person=person, role="family")
    contact = Contact.objects.create(
        case=case, kind="home_visit", occurred_at=long_ago, note="Visit", recorded_at=long_ago
    )
    contact.people_present.add(person)
    Risk.objects.create(
        person=person, kind=Risk._meta.get_field("kind").choices[0][0],
        level=Risk._meta.get_field("level").choices[0][0], description="A risk",
        source="family", recorded_at=long_ago,
    )
    ids.append(person.pk)
index_names(ids)
review = plan(today=date(2026, 12, 1), through=date(2026, 12, 1)).review
request = RequestFactory().post("/")
request.user = manager
print(approve(request, review))
"""

# Tables holding a person's rows directly, and the column naming them.
PERSON_ROWS = {
    "people_person": "id",
    "cases_casemember": "person_id",
    "people_risk": "person_id",
    "people_namekey": "person_id",
    "cases_contact_people_present": "person_id",
}


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [EARLYHELP, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _rows_of(db: Path, person_id: int) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        return {
            table: connection.execute(
                f"SELECT count(*) FROM {table} WHERE {column} = ?",  # noqa: S608 (our names)
                (person_id,),
            ).fetchone()[0]
            for table, column in PERSON_ROWS.items()
        }


def test_a_disposal_killed_mid_run_leaves_no_partial_person_and_a_rerun_finishes(tmp_path):
    db = tmp_path / "disposal.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "EARLYHELP_KEYS_DIR": str(settings.KEYS_DIR),
        "EARLYHELP_DOCUMENTS_DIR": str(tmp_path / "documents"),
        "EARLYHELP_AUDIT_ANCHOR_DIR": str(tmp_path / "anchors"),
        "EARLYHELP_POLICY": str(settings.POLICY_PATH),
    }
    migrated = _run(env, "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    made = _run(env, "shell", "-c", SETUP)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().endswith(str(PEOPLE))
    with sqlite3.connect(db) as connection:
        items = dict(connection.execute("SELECT id, person_id FROM retention_planneddestruction"))
    before = {person_id: _rows_of(db, person_id) for person_id in items.values()}
    assert all(all(counts.values()) for counts in before.values())

    running = subprocess.Popen(
        [EARLYHELP, "retention", "dispose", "--batch-size", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    destroyed = 0
    deadline = time.monotonic() + 300
    while destroyed < 3 and running.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        with sqlite3.connect(db, timeout=30) as connection:
            destroyed = connection.execute(
                "SELECT count(*) FROM retention_planneddestruction WHERE status = 'destroyed'"
            ).fetchone()[0]
    running.send_signal(signal.SIGKILL)
    running.wait()
    assert destroyed >= 3, "the disposal never got going"

    with sqlite3.connect(db) as connection:
        status = dict(connection.execute("SELECT id, status FROM retention_planneddestruction"))
    assert 0 < sum(s == "destroyed" for s in status.values()) < PEOPLE
    for item_id, person_id in items.items():
        now = _rows_of(db, person_id)
        if status[item_id] == "destroyed":
            assert not any(now.values()), f"person {person_id} was left half destroyed: {now}"
        else:
            assert status[item_id] == "approved"
            assert now == before[person_id], f"person {person_id} lost rows: {now}"

    rerun = _run(env, "retention", "dispose", "--batch-size", "7")
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM people_person").fetchone()[0] == 0
        assert set(
            s for (s,) in connection.execute("SELECT status FROM retention_planneddestruction")
        ) == {"destroyed"}
        assert connection.execute("SELECT status FROM retention_destructionreview").fetchone() == (
            "destroyed",
        )
    verified = _run(env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
