"""Retention figures (issue 18 item 8): `earlyhelp retention plan` over the kept database's
million persons (target under 30 s) and `earlyhelp retention dispose` of 100,000 of them
(target under 120 s), each timed as its own process with its peak memory.

Both run on a scratch copy of the kept database (bench/run.py KeptDatabase.scratch_copy:
a copy of the SQLite file, or CREATE DATABASE ... TEMPLATE on PostgreSQL), dropped after,
so the kept database is never planned into nor destroyed. The copy has its own audit
anchor and document folders, empty: nothing the kept database needs is touched. Copying
is not timed.

The dates. The generator's world is as of bench/run.py AS_OF (2026-11-25) with six years
of history, so by today only about 1.5% of people are past their date (adults six years
after their last involvement; children on their 25th birthday). The plan is timed with
`--through` THROUGH, five years on (BENCH_RETENTION_THROUGH; about 17% of people fall due
by then, 170,000 of a million: the backlog a first run would find in a service of some
years, and more than the 100,000 the disposal needs). Disposal destroys only what is due
on the day it runs, so it runs with its clock at THROUGH: `python bench/retention.py
dispose DAY` is `earlyhelp retention dispose` with django.utils.timezone.localdate
answering DAY (events are still stamped now). Steps on the copy:

  1. `earlyhelp retention plan --through THROUGH` (timed: the plan figure);
  2. the same again (timed: cron's daily run, nothing new to add);
  3. the open review cut to its first BENCH_RETENTION_PEOPLE (100,000) items, the rest
     deleted, and approved through retention.services.approve by a bench reviewer in the
     policy's first reviewer role (not timed; one audit event a person, as in service);
  4. `earlyhelp retention dispose` at THROUGH (timed: the disposal figure, people/s),
     then what is left checked: the persons gone, the review finished.

Helpers run inside Django on the copy, with its DATABASE_URL (bench/run.py calls them):

    python bench/retention.py count
    python bench/retention.py approve PEOPLE
    python bench/retention.py dispose DAY [--batch-size N]
    python bench/retention.py profile plan|dispose DAY OUT.prof   (cProfile, for a look)
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from process import run  # bench/process.py, beside this file

HERE = Path(__file__).resolve()
PYTHON = sys.executable
EARLYHELP = str(Path(sys.executable).parent / "earlyhelp")
THROUGH = "2031-11-25"  # five years after bench/run.py AS_OF
PEOPLE = 100_000
REVIEWER = "bench-retention-reviewer"


# -- the driver side (bench/run.py; no Django here) ---------------------------------------------


def bench_retention(database: Any) -> dict[str, Any]:
    """The plan and disposal figures on a scratch copy of `database` (a started
    bench/run.py KeptDatabase); a step that fails is reported, not fatal."""
    through = os.environ.get("BENCH_RETENTION_THROUGH", THROUGH)
    people = int(os.environ.get("BENCH_RETENTION_PEOPLE", PEOPLE))
    result: dict[str, Any] = {"through": through}
    print(f"{database.label}: retention: copying the kept database (not timed)", flush=True)
    try:
        with database.scratch_copy() as copy_env, tempfile.TemporaryDirectory() as folder:
            env = dict(
                copy_env,
                EARLYHELP_AUDIT_ANCHOR_DIR=str(Path(folder) / "anchors"),
                EARLYHELP_DOCUMENTS_DIR=str(Path(folder) / "documents"),
            )
            result["plan"] = _plan(env, through)
            if people > 0:
                result["disposal"] = _disposal(env, through, people)
    except (SystemExit, ValueError) as failure:  # a command failed (process.run) or said
        result["error"] = str(failure)[-2000:]  # nothing readable: say so and go on
    return result


def _helper(env: dict[str, str], *args: str) -> dict[str, Any]:
    _, _, output = run([PYTHON, str(HERE), *args], env)
    return json.loads(output.strip().splitlines()[-1])


def _plan(env: dict[str, str], through: str) -> dict[str, Any]:
    print("  retention plan ...", flush=True)
    before = _helper(env, "count")
    seconds, peak, _ = run([EARLYHELP, "retention", "plan", "--through", through], env)
    after = _helper(env, "count")
    print("  retention plan again (nothing new) ...", flush=True)
    again_seconds, again_peak, _ = run([EARLYHELP, "retention", "plan", "--through", through], env)
    planned = after["items"].get("planned", 0)
    return {
        "persons": before["persons"],
        "planned": planned,
        "share_planned": round(planned / before["persons"], 4) if before["persons"] else 0,
        "by_rule": after["planned_by_rule"],
        "seconds": round(seconds, 2),
        "persons_per_second": round(before["persons"] / seconds),
        "peak_rss_mib": round(peak),
        "again": {"seconds": round(again_seconds, 2), "peak_rss_mib": round(again_peak)},
        "target_seconds": 30,
    }


def _disposal(env: dict[str, str], through: str, people: int) -> dict[str, Any]:
    print(f"  retention dispose: approving up to {people:,} people (not timed) ...", flush=True)
    approved = _helper(env, "approve", str(people))["approved"]
    before = _helper(env, "count")
    print(f"  retention dispose of {approved:,} people ...", flush=True)
    seconds, peak, output = run([PYTHON, str(HERE), "dispose", through], env)
    after = _helper(env, "count")
    destroyed = re.search(
        r"Destroyed the records of ([\d,]+) (?:person|people) in ([\d,]+) batch", output
    )
    count = int(destroyed.group(1).replace(",", "")) if destroyed else 0
    return {
        "approved": approved,
        "destroyed": count,
        "batches": int(destroyed.group(2).replace(",", "")) if destroyed else 0,
        "persons_removed": before["persons"] - after["persons"],  # with records merged in
        "rows_destroyed": sum(after["certificate"].get("records", {}).values()),
        "kept": after["certificate"].get("kept", {}),
        "review": after["review"],
        "seconds": round(seconds, 2),
        "people_per_second": round(count / seconds) if seconds else 0,
        "peak_rss_mib": round(peak),
        "target_seconds": 120,
    }


def retention_rows(databases: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """The retention lines of bench/run.py's table."""

    def each(show) -> list[str]:
        values = []
        for figures in databases.values():
            part = figures.get("retention", {})
            try:
                values.append(show(part))
            except (KeyError, TypeError, ZeroDivisionError):
                values.append("not run" if "error" in part else "-")
        return values

    return [
        (
            "retention plan: s (people due)",
            "< 30",
            each(lambda r: f"{r['plan']['seconds']} ({r['plan']['planned']:,} due)"),
        ),
        ("  plan: due through / peak MiB", "", each(
            lambda r: f"{r['through']} / {r['plan']['peak_rss_mib']:,}"
        )),
        ("  plan again (nothing new): s", "", each(lambda r: str(r["plan"]["again"]["seconds"]))),
        (
            "retention dispose: s (people/s)",
            "< 120",
            each(
                lambda r: f"{r['disposal']['seconds']} ({r['disposal']['people_per_second']:,})"
            ),
        ),
        ("  dispose: people / rows / peak MiB", "", each(
            lambda r: f"{r['disposal']['destroyed']:,} / {r['disposal']['rows_destroyed']:,}"
            f" / {r['disposal']['peak_rss_mib']:,}"
        )),
    ]  # fmt: skip


# -- the helper side (inside Django, on the scratch copy) ---------------------------------------


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
    django.setup()


def count() -> dict[str, Any]:
    """Persons, items by status, planned items by rule, the latest review's state."""
    from django.db.models import Count

    from earlyhelp.people.models import Person
    from earlyhelp.retention.models import DestructionReview, PlannedDestruction

    review = DestructionReview.objects.order_by("-pk").first()
    planned = PlannedDestruction.objects.filter(status=PlannedDestruction.Status.PLANNED)
    return {
        "persons": Person.objects.count(),
        "items": dict(
            PlannedDestruction.objects.values_list("status").annotate(n=Count("pk")).order_by()
        ),
        "planned_by_rule": dict(planned.values_list("rule").annotate(n=Count("pk")).order_by()),
        "review": review.status if review else None,
        "certificate": review.certificate if review else {},
    }


def approve(people: int) -> dict[str, Any]:
    """Cut the open review to its first `people` planned items (the rest deleted: this is
    a scratch copy) and approve it as a bench reviewer of every team, through the service."""
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from earlyhelp.access.models import User
    from earlyhelp.retention import services
    from earlyhelp.retention.models import DestructionReview, PlannedDestruction

    review = DestructionReview.objects.filter(status=DestructionReview.Status.OPEN).first()
    if review is None:
        return {"approved": 0}
    items = review.items.filter(status=PlannedDestruction.Status.PLANNED).order_by("pk")
    last = items.values_list("pk", flat=True)[people - 1 : people].first()
    if last is not None:
        review.items.filter(pk__gt=last).delete()
    from earlyhelp.cases.models import Team

    role = services.reviewer_roles()[0]
    user, _ = User.objects.get_or_create(
        username=REVIEWER, defaults={"first_name": "Bench", "last_name": "Reviewer"}
    )
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    # A reviewer approves the records they may see named (services.open_to_review): the
    # bench's is a member of every team, so it sees, and approves, the whole cut review.
    for team in Team.objects.all():
        team.members.add(user)
    user = User.objects.get(pk=user.pk)  # roles are cached on the instance: read them anew
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    request.user = user
    request.session = SessionStore()
    return {"approved": services.approve(request, review)}


def dispose_on(day: date, args: list[str]) -> None:
    """`earlyhelp retention dispose ARGS` with today's date answered as `day`."""
    from django.core.management import execute_from_command_line
    from django.utils import timezone

    localdate = timezone.localdate

    def on_the_day(value=None, timezone=None):  # Django's own signature
        return day if value is None else localdate(value, timezone)

    timezone.localdate = on_the_day
    execute_from_command_line(["earlyhelp", "retention", "dispose", *args])


def profile(what: str, day: date, out: str) -> None:
    """cProfile of the plan through `day` or of disposal on `day`, into `out` (pstats)."""
    import cProfile

    if what == "plan":
        from earlyhelp.retention.planning import plan

        cProfile.runctx("plan(through=day)", globals(), {"plan": plan, "day": day}, out)
    else:
        command = "dispose_on(day, [])"
        cProfile.runctx(command, globals(), {"dispose_on": dispose_on, "day": day}, out)


def main() -> None:
    usage = "usage: retention.py count | approve PEOPLE | dispose DAY [ARGS] | profile WHAT DAY OUT"
    args = sys.argv[1:]
    if not args:
        raise SystemExit(usage)
    if args[0] == "dispose" and len(args) >= 2:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
        dispose_on(date.fromisoformat(args[1]), args[2:])
        return
    _django()
    if args == ["count"]:
        print(json.dumps(count(), default=str))
    elif args[0] == "approve" and len(args) == 2:
        print(json.dumps(approve(int(args[1]))))
    elif args[0] == "profile" and len(args) == 4:
        profile(args[1], date.fromisoformat(args[2]), args[3])
    else:
        raise SystemExit(usage)


if __name__ == "__main__":
    main()
