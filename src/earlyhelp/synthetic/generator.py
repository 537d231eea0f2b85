"""Write synthetic families and their casework to the database, one transaction a batch.

Every table is written with bulk_create, a batch of families at a time, so memory stays
flat however many families are made. Rows get deterministic values throughout (public
ids, dates, recorded-at times), so a seed gives the same database every time.
"""

import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, time

from django.contrib.auth.models import Group
from django.db import transaction

from earlyhelp.access.models import User
from earlyhelp.cases.choices import CaseRole
from earlyhelp.cases.models import (
    Allocation,
    Assessment,
    Attendance,
    Case,
    CaseMember,
    ClosureRequest,
    Contact,
    Document,
    GoalProgress,
    GroupSession,
    Need,
    NeedOutcome,
    Plan,
    PlanAction,
    PlanGoal,
    PlanReview,
    Team,
)
from earlyhelp.consent.models import MediaConsent
from earlyhelp.consent.services import nursery_processing
from earlyhelp.lib.dates import add_months
from earlyhelp.people.choices import Source
from earlyhelp.people.facts import FACT_MODELS
from earlyhelp.people.matching import name_keys
from earlyhelp.people.models import (
    Address,
    ContactMethod,
    Household,
    HouseholdMember,
    Person,
    PersonAddress,
    PersonName,
    Relationship,
)
from earlyhelp.people.name_index import index_names
from earlyhelp.policy.active import active_policy
from earlyhelp.synthetic.casework import (
    DOCUMENT_CONTENT_TYPE,
    LONDON,
    CaseworkPolicy,
    Catalogue,
    FamilyCasework,
    make_casework,
    make_sessions,
    make_teams,
    service_options,
)
from earlyhelp.synthetic.facts import make_facts
from earlyhelp.synthetic.families import FamilyFactory, FamilySpec
from earlyhelp.synthetic.models import GeneratedDataset

TOWN = "London"
FAMILY = Source.FAMILY.value
PresentThrough = Contact.people_present.through


def batches(factory: FamilyFactory, families: int, size: int) -> Iterator[list[FamilySpec]]:
    made = 0
    while made < families:
        count = min(size, families - made)
        yield [factory.family() for _ in range(count)]
        made += count


def policy_services() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(id, name, [(sub-service id, name)]) of each service of the active policy."""
    return [
        (service.id, service.name, [(sub.id, sub.name) for sub in service.sub_services])
        for service in active_policy().services
    ]


def casework_policy() -> CaseworkPolicy:
    """What the active policy says about casework, as plain values."""
    casework = active_policy().casework
    return CaseworkPolicy(
        outcomes=tuple((outcome.id, outcome.name) for outcome in casework.headline_outcomes),
        closure_reasons=tuple(
            (reason.id, reason.name, reason.refers_to_social_care)
            for reason in casework.closure_reasons
        ),
        review_weeks=casework.plan_review_every_weeks,
    )


def catalogue_for(seed: int, as_of: date) -> Catalogue:
    """The policy's services with their teams and staff, and the seed's group sessions."""
    services = policy_services()
    options = service_options(services)
    return Catalogue(
        options, make_teams(services), make_sessions(seed, as_of, options), casework_policy()
    )


class References:
    """Database ids of the rows casework refers to: teams by name, staff by username,
    sessions by position."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.team_ids = self.ensure_teams(catalogue)
        self.user_ids = self.ensure_staff(catalogue, self.team_ids)
        self.session_ids = self.ensure_sessions(catalogue, self.user_ids)

    @staticmethod
    @transaction.atomic
    def ensure_teams(catalogue: Catalogue) -> dict[str, int]:
        names = [team.name for team in catalogue.teams]
        ids = dict(Team.objects.filter(name__in=names).values_list("name", "id"))
        missing = [
            Team(name=team.name, service=team.service)
            for team in catalogue.teams
            if team.name not in ids
        ]
        ids.update((team.name, team.pk) for team in Team.objects.bulk_create(missing))
        return ids

    @staticmethod
    @transaction.atomic
    def ensure_staff(catalogue: Catalogue, team_ids: dict[str, int]) -> dict[str, int]:
        """The teams' synthetic staff, made once: no password, no authenticator, so no one
        can sign in as them; in their team and their role's group."""
        names = [person.username for person in catalogue.staff]
        ids = dict(User.objects.filter(username__in=names).values_list("username", "id"))
        missing = [person for person in catalogue.staff if person.username not in ids]
        rows = []
        for person in missing:
            user = User(
                username=person.username,
                first_name=person.first_name,
                last_name=person.last_name,
                email=f"{person.username}@synthetic.invalid",
            )
            user.set_unusable_password()
            rows.append(user)
        ids.update((user.username, user.pk) for user in User.objects.bulk_create(rows))
        # Their groups and teams, where missing (a team made again keeps its staff).
        groups = dict(Group.objects.values_list("name", "id"))
        in_group = set(
            User.groups.through.objects.filter(user_id__in=ids.values()).values_list(
                "user_id", "group_id"
            )
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user, group_id=group)
            for user, group in dict.fromkeys(
                (ids[person.username], groups[person.role])
                for person in catalogue.staff
                if person.role in groups
            )
            if (user, group) not in in_group
        )
        in_team = set(
            Team.members.through.objects.filter(user_id__in=ids.values()).values_list(
                "team_id", "user_id"
            )
        )
        Team.members.through.objects.bulk_create(
            Team.members.through(team_id=team, user_id=user)
            for team, user in dict.fromkeys(
                (team_ids[person.team], ids[person.username]) for person in catalogue.staff
            )
            if (team, user) not in in_team
        )
        return ids

    @staticmethod
    @transaction.atomic
    def ensure_sessions(catalogue: Catalogue, user_ids: dict[str, int]) -> list[int]:
        wanted = [session.public_id for session in catalogue.sessions]
        ids: dict = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            ids.update(
                GroupSession.objects.filter(public_id__in=chunk).values_list("public_id", "id")
            )
        missing = [
            GroupSession(
                public_id=session.public_id,
                service=session.service,
                kind=session.kind,
                title=session.title,
                venue=session.venue,
                held_on=session.held_on,
            )
            for session in catalogue.sessions
            if session.public_id not in ids
        ]
        made = GroupSession.objects.bulk_create(missing)
        ids.update((row.public_id, row.pk) for row in made)
        by_id = {session.public_id: session for session in catalogue.sessions}
        GroupSession.run_by.through.objects.bulk_create(
            GroupSession.run_by.through(groupsession_id=row.pk, user_id=user_ids[username])
            for row in made
            for username in catalogue.session_leads(by_id[row.public_id])
        )
        return [ids[public_id] for public_id in wanted]


def known_since(family: FamilySpec, born: date) -> datetime:
    """When a fact about a family member was recorded: when they moved in, or were born."""
    return datetime.combine(max(family.moved_in, born), time(10), tzinfo=LONDON)


@transaction.atomic
def write_batch(
    batch: list[FamilySpec],
    as_of: date,
    catalogue: Catalogue,
    refs: References,
    counts: Counter,
) -> None:
    work = [make_casework(family, catalogue, as_of) for family in batch]
    people, households = write_people(batch, as_of, counts)
    write_casework(batch, work, people, households, refs, counts)
    write_facts(batch, work, people, as_of, counts)


def write_facts(
    batch: list[FamilySpec],
    work: list[FamilyCasework],
    people: list[list[Person]],
    as_of: date,
    counts: Counter,
) -> None:
    """What is recorded about each family's people (synthetic/facts.py), a table at a time."""
    rows: dict[str, list] = {}
    for family, casework, family_people in zip(batch, work, people, strict=True):
        for fact in make_facts(family, casework, as_of):
            rows.setdefault(fact.kind, []).append(
                FACT_MODELS[fact.kind](
                    person=family_people[fact.person],
                    source=fact.source,
                    recorded_at=fact.recorded_at,
                    **fact.values,
                )
            )
    for kind, facts in rows.items():
        FACT_MODELS[kind].objects.bulk_create(facts)
        counts[f"facts: {FACT_MODELS[kind]._meta.verbose_name_plural}"] += len(facts)
    counts["facts"] += sum(len(facts) for facts in rows.values())


def write_people(
    batch: list[FamilySpec], as_of: date, counts: Counter
) -> tuple[list[list[Person]], list[Household]]:
    """Addresses, households, people and what is recorded about them; people by family."""
    address_rows = []
    for family in batch:
        address_rows.append(
            Address(
                public_id=family.address_public_id,
                line_1=family.line_1,
                line_2=family.line_2,
                town=TOWN,
                postcode=family.postcode,
            )
        )
        if family.previous_address is not None:
            previous = family.previous_address
            address_rows.append(
                Address(
                    public_id=previous.public_id,
                    line_1=previous.line_1,
                    line_2=previous.line_2,
                    town=TOWN,
                    postcode=previous.postcode,
                )
            )
    addresses = iter(Address.objects.bulk_create(address_rows))
    current, earlier = [], []
    for family in batch:
        current.append(next(addresses))
        earlier.append(next(addresses) if family.previous_address is not None else None)
    households = Household.objects.bulk_create(
        Household(
            public_id=family.household_public_id,
            address=address,
            created_at=known_since(family, family.moved_in),
        )
        for family, address in zip(batch, current, strict=True)
    )
    person_rows = []
    for family in batch:
        for spec in family.people:
            given_key, family_key = name_keys(spec.given_name, spec.family_name)
            person_rows.append(
                Person(
                    public_id=spec.public_id,
                    given_name=spec.given_name,
                    family_name=spec.family_name,
                    given_key=given_key,
                    family_key=family_key,
                    date_of_birth=spec.date_of_birth,
                    nhs_number=spec.nhs_number,
                    upn=spec.upn,
                    created_at=known_since(family, spec.date_of_birth),
                )
            )
    created = Person.objects.bulk_create(person_rows)
    by_family: list[list[Person]] = []
    position = 0
    for family in batch:
        by_family.append(created[position : position + len(family.people)])
        position += len(family.people)

    members, relationships, homes, names, methods = [], [], [], [], []
    for family, household, address, previous, family_people in zip(
        batch, households, current, earlier, by_family, strict=True
    ):
        for spec, person in zip(family.people, family_people, strict=True):
            recorded = known_since(family, spec.date_of_birth)
            if spec.in_household:
                joined = max(family.moved_in, spec.date_of_birth)
                members.append(
                    HouseholdMember(household=household, person=person, joined_on=joined)
                )
                homes.append(
                    PersonAddress(
                        person=person,
                        address=address,
                        moved_in=joined,
                        source=FAMILY,
                        recorded_at=recorded,
                    )
                )
                if previous is not None and spec.date_of_birth < family.moved_in:
                    homes.append(
                        PersonAddress(
                            person=person,
                            address=previous,
                            moved_in=max(family.previous_address.moved_in, spec.date_of_birth),
                            moved_out=family.moved_in,
                            source=FAMILY,
                            recorded_at=recorded,
                        )
                    )
            for former in spec.former_names:
                given_key, family_key = name_keys(former.given_name, former.family_name)
                names.append(
                    PersonName(
                        person=person,
                        kind=PersonName.Kind.FORMER,
                        given_name=former.given_name,
                        family_name=former.family_name,
                        given_key=given_key,
                        family_key=family_key,
                        used_until=former.used_until,
                        source=FAMILY,
                        recorded_at=recorded,
                    )
                )
            if spec.telephone:
                methods.append(
                    ContactMethod(
                        person=person,
                        kind=ContactMethod.Kind.TELEPHONE,
                        value=spec.telephone,
                        label="mobile",
                        source=FAMILY,
                        recorded_at=recorded,
                    )
                )
            if spec.email:
                methods.append(
                    ContactMethod(
                        person=person,
                        kind=ContactMethod.Kind.EMAIL,
                        value=spec.email,
                        label="personal",
                        source=FAMILY,
                        recorded_at=recorded,
                    )
                )
        relationships.extend(
            Relationship(
                person=family_people[rel.person],
                relative=family_people[rel.relative],
                kind=rel.kind,
                has_parental_responsibility=rel.has_parental_responsibility,
                source=FAMILY,
                recorded_at=known_since(family, family.people[rel.relative].date_of_birth),
            )
            for rel in family.relationships
        )
        counts[f"shape: {family.shape}"] += 1
        counts["people living elsewhere"] += sum(not spec.in_household for spec in family.people)
    HouseholdMember.objects.bulk_create(members)
    Relationship.objects.bulk_create(relationships)
    PersonAddress.objects.bulk_create(homes)
    PersonName.objects.bulk_create(names)
    index_names(person.pk for person in created)
    ContactMethod.objects.bulk_create(methods)
    counts["households"] += len(households)
    counts["addresses"] += len(address_rows)
    counts["people"] += len(created)
    counts["household members"] += len(members)
    counts["relationships"] += len(relationships)
    counts["address history entries"] += len(homes)
    counts["former names"] += len(names)
    counts["telephones and emails"] += len(methods)
    counts["children under 18"] += sum(
        spec.age_on(as_of) < 18 for family in batch for spec in family.people
    )
    counts["with NHS number"] += sum(bool(p.nhs_number) for p in created)
    counts["with UPN"] += sum(bool(p.upn) for p in created)
    return by_family, households


def write_casework(
    batch: list[FamilySpec],
    work: list[FamilyCasework],
    people: list[list[Person]],
    households: list[Household],
    refs: References,
    counts: Counter,
) -> None:
    users = refs.user_ids
    case_rows, case_specs, case_people = [], [], []
    attendance = []
    for casework, household, family_people in zip(work, households, people, strict=True):
        for spec in casework.cases:
            case_rows.append(
                Case(
                    public_id=spec.public_id,
                    service=spec.service,
                    household=household,
                    reason=spec.reason,
                    started=spec.started,
                    ended=spec.ended,
                    closure_reason=spec.closure_reason,
                    referred_to_social_care_on=spec.referred_to_social_care_on,
                    allocated_worker_id=users[spec.allocations[-1].worker]
                    if spec.allocations
                    else None,
                    team_id=refs.team_ids[spec.team],
                    created_at=spec.created_at,
                )
            )
            case_specs.append(spec)
            case_people.append(family_people)
        attendance.extend(
            Attendance(
                session_id=refs.session_ids[session],
                person=family_people[person],
                status=status,
                walk_in=walk_in,
            )
            for (session, person), (status, walk_in) in casework.attendance.items()
        )
    cases = Case.objects.bulk_create(case_rows)

    members, allocations, assessments, plans = [], [], [], []
    contacts, present_of_contacts, documents = [], [], []
    for case, spec, family_people in zip(cases, case_specs, case_people, strict=True):
        members.extend(
            CaseMember(case=case, person=family_people[index], role=role)
            for index, role in spec.members
        )
        allocations.extend(
            Allocation(
                public_id=a.public_id,
                case=case,
                worker_id=users[a.worker],
                allocated_by_id=users[a.allocated_by],
                allocated_at=a.allocated_at,
                reason=a.reason,
                seen_at=a.seen_at,
            )
            for a in spec.allocations
        )
        assessments.extend(
            Assessment(
                public_id=a.public_id,
                case=case,
                kind=a.kind,
                started=a.started,
                completed=a.completed,
                family_views=a.family_views,
                child_views=a.child_views,
                took_part=a.took_part,
                strengths=a.strengths,
                needs=a.needs,
                summary=a.summary,
                family_agreed=a.family_agreed,
                family_agreed_on=a.family_agreed_on,
                recorded_at=a.recorded_at,
            )
            for a in spec.assessments
        )
        plans.extend(
            Plan(
                public_id=plan.public_id,
                case=case,
                agreed=plan.agreed,
                review_date=plan.review_date,
                recorded_at=plan.recorded_at,
            )
            for plan in spec.plans
        )
        for contact in spec.contacts:
            contacts.append(
                Contact(
                    public_id=contact.public_id,
                    case=case,
                    kind=contact.kind,
                    occurred_at=contact.occurred_at,
                    note=contact.note,
                    recorded_at=contact.recorded_at,
                )
            )
            present_of_contacts.append([family_people[i] for i in contact.present])
        documents.extend(
            Document(
                public_id=d.public_id,
                case=case,
                person=None if d.person is None else family_people[d.person],
                kind=d.kind,
                title=d.title,
                content_type=DOCUMENT_CONTENT_TYPE,
                size=d.size,
                sha256=d.sha256,
                recorded_at=d.recorded_at,
            )
            for d in spec.documents
        )
    CaseMember.objects.bulk_create(members)
    Allocation.objects.bulk_create(allocations)
    assessments = Assessment.objects.bulk_create(assessments)
    # A review assessment's link to the one it reviews, by position within its case.
    of_case: list[list[Assessment]] = []
    position = 0
    for spec in case_specs:
        of_case.append(assessments[position : position + len(spec.assessments)])
        position += len(spec.assessments)
    reviewing = []
    for spec, rows in zip(case_specs, of_case, strict=True):
        for a, row in zip(spec.assessments, rows, strict=True):
            if a.reviews is not None:
                row.reviews_id = rows[a.reviews].pk
                reviewing.append(row)
    Assessment.objects.bulk_update(reviewing, ["reviews"])
    need_rows = [
        Need(public_id=n.public_id, assessment=row, outcome=n.outcome, description=n.description)
        for spec, rows in zip(case_specs, of_case, strict=True)
        for a, row in zip(spec.assessments, rows, strict=True)
        for n in a.found_needs
    ]
    need_rows = Need.objects.bulk_create(need_rows)
    needs_of: list[list[list[Need]]] = []  # by case, by assessment
    position = 0
    for spec in case_specs:
        needs_of.append([])
        for a in spec.assessments:
            needs_of[-1].append(need_rows[position : position + len(a.found_needs)])
            position += len(a.found_needs)

    plans = Plan.objects.bulk_create(plans)
    goals, goal_specs, reviews, review_specs = [], [], [], []
    plan_rows = iter(plans)
    for spec, case_needs in zip(case_specs, needs_of, strict=True):
        for plan in spec.plans:
            row = next(plan_rows)
            needs = case_needs[plan.assessment]
            for goal in plan.goals:
                goals.append(
                    PlanGoal(
                        plan=row,
                        need=None if goal.need is None else needs[goal.need],
                        goal=goal.goal,
                        actions=goal.actions,
                        target_date=goal.target_date,
                        status=goal.status,
                    )
                )
                goal_specs.append(goal)
            if plan.review is not None:
                review = plan.review
                reviews.append(
                    PlanReview(
                        public_id=review.public_id,
                        plan=row,
                        reviewed_on=review.reviewed_on,
                        next_review=review.next_review,
                        summary=review.summary,
                        author_id=None if review.author is None else users[review.author],
                        recorded_at=review.recorded_at,
                    )
                )
                review_specs.append(plan)
    goals = PlanGoal.objects.bulk_create(goals)
    PlanAction.objects.bulk_create(
        PlanAction(goal=row, action=a.action, who=a.who, by_when=a.by_when)
        for row, goal in zip(goals, goal_specs, strict=True)
        for a in goal.plan_actions
    )
    goal_of = {id(goal): row for row, goal in zip(goals, goal_specs, strict=True)}
    reviews = PlanReview.objects.bulk_create(reviews)
    progress = [
        GoalProgress(review=review, goal=goal_of[id(goal)], status=status, comment=comment)
        for review, plan in zip(reviews, review_specs, strict=True)
        for goal, (status, comment) in zip(plan.goals, plan.review.progress, strict=True)
    ]
    GoalProgress.objects.bulk_create(progress)

    closures, closure_specs = [], []
    for case, spec, case_needs in zip(cases, case_specs, needs_of, strict=True):
        closure = spec.closure
        if closure is None:
            continue
        closures.append(
            ClosureRequest(
                public_id=closure.public_id,
                case=case,
                reason=closure.reason,
                summary=closure.summary,
                closing_on=closure.closing_on,
                referred_to_social_care_on=closure.referred_to_social_care_on,
                requested_by_id=users[closure.requested_by],
                requested_at=closure.requested_at,
                decision=closure.decision,
                decided_by_id=None if closure.decided_by is None else users[closure.decided_by],
                decided_at=closure.decided_at,
                manager_comment=closure.manager_comment,
            )
        )
        closure_specs.append((closure, case_needs))
    closures = ClosureRequest.objects.bulk_create(closures)
    outcomes = [
        NeedOutcome(
            closure=row,
            need=case_needs[closure.assessment][outcome.need],
            achieved=outcome.achieved,
            sustained=outcome.sustained,
            evidence=outcome.evidence,
        )
        for row, (closure, case_needs) in zip(closures, closure_specs, strict=True)
        for outcome in closure.outcomes
    ]
    NeedOutcome.objects.bulk_create(outcomes)

    contacts = Contact.objects.bulk_create(contacts)
    present = [
        PresentThrough(contact_id=contact.pk, person_id=person.pk)
        for contact, persons in zip(contacts, present_of_contacts, strict=True)
        for person in persons
    ]
    PresentThrough.objects.bulk_create(present)
    Document.objects.bulk_create(documents)
    Attendance.objects.bulk_create(attendance)
    counts["cases"] += len(cases)
    counts["open cases"] += sum(spec.ended is None for spec in case_specs)
    counts["allocated cases"] += sum(bool(spec.allocations) for spec in case_specs)
    counts["allocations"] += len(allocations)
    counts["case members"] += len(members)
    counts["assessments"] += len(assessments)
    counts["needs"] += len(need_rows)
    counts["plans"] += len(plans)
    counts["plan goals"] += len(goals)
    counts["plan actions"] += sum(len(goal.plan_actions) for goal in goal_specs)
    counts["plan reviews"] += len(reviews)
    counts["goal progress records"] += len(progress)
    counts["closure requests"] += len(closures)
    counts["closure requests awaiting sign-off"] += sum(
        closure.decision == "awaiting" for closure, _ in closure_specs
    )
    counts["need outcomes"] += len(outcomes)
    counts["contacts"] += len(contacts)
    counts["people present at contacts"] += len(present)
    counts["documents"] += len(documents)
    counts["attendance records"] += len(attendance)
    counts["attendance: absent"] += sum(row.status == "absent" for row in attendance)
    counts["attendance: sent apologies"] += sum(row.status == "cancelled" for row in attendance)
    counts["attendance: walk-ins"] += sum(row.walk_in for row in attendance)
    write_consents(batch, work, people, case_specs, refs, counts)


# How often a parent agrees to each use they are asked about, by its place in the policy's
# list (own learning journey, others' clips, display): most agree to their own child's
# journey, fewer to their child in other parents' clips.
AGREE_SHARES = (0.9, 0.7, 0.8)


def write_consents(
    batch: list[FamilySpec],
    work: list[FamilyCasework],
    people: list[list[Person]],
    case_specs: list,
    refs: References,
    counts: Counter,
) -> None:
    """A parent's decision on each of the policy's nursery uses for every child on an open,
    allocated case of the nursery service (consent app), decided when the case opened (or
    when the use's words came into force), recorded by the allocated worker. Decisions
    follow from the case's id, so a rerun writes the same."""
    processing = nursery_processing()
    if processing is None:
        return
    family_of = {}
    for family, casework, family_people in zip(batch, work, people, strict=True):
        for spec in casework.cases:
            family_of[spec.public_id] = (family, family_people)
    rows = []
    for spec in case_specs:
        if spec.service not in processing.services or spec.ended is not None:
            continue
        if not spec.allocations:
            continue
        family, family_people = family_of[spec.public_id]
        draw = random.Random(spec.public_id.int)
        for index, role in spec.members:
            born = family_people[index].date_of_birth
            too_old = (
                processing.children_under is not None
                and born is not None
                and (add_months(spec.started, -12 * processing.children_under, "last_day") >= born)
            )
            if role != CaseRole.CHILD or too_old:
                continue
            holders = [
                rel.person
                for rel in family.relationships
                if rel.relative == index and rel.has_parental_responsibility
            ]
            if not holders:
                continue
            parent = family_people[holders[0]]
            for use, agree in zip(processing.uses, itertools.cycle(AGREE_SHARES)):
                on = max(spec.started, use.texts[0].in_force_from)
                words = use.text_on(on)
                if words is None:
                    continue
                given = draw.random() < agree
                rows.append(
                    MediaConsent(
                        child=family_people[index],
                        given_by=parent,
                        processing=processing.id,
                        use=use.id,
                        text_version=words.version,
                        wording=words.wording,
                        decision=MediaConsent.Decision.GIVEN
                        if given
                        else MediaConsent.Decision.REFUSED,
                        how=draw.choice(MediaConsent.How.values),
                        decided_on=on,
                        recorded_by_id=refs.user_ids[spec.allocations[-1].worker],
                    )
                )
    MediaConsent.objects.bulk_create(rows)
    counts["nursery consent decisions"] += len(rows)


def generate(
    families: int,
    seed: int,
    as_of: date,
    batch_size: int = 1000,
    progress: Callable[[int], None] = lambda n: None,
) -> tuple[dict[str, int], int]:
    """Make sure the first `families` families of `seed` exist; return (counts, families added).

    A seed's families always come in the same order, so a larger request after a
    smaller one replays the draws of the families already written and adds only
    the rest; a request no larger adds nothing. Running the demo twice neither
    fails nor doubles the data. Teams and their synthetic staff (one set for all
    seeds, from the policy's services) and the seed's group sessions are made once,
    before the families.
    """
    dataset = GeneratedDataset.objects.filter(seed=seed).first()
    already = dataset.families if dataset else 0
    if dataset is not None and dataset.as_of != as_of and families > already:
        raise ValueError(
            f"--as-of: seed {seed} was generated as of {dataset.as_of}; "
            "use that date to add families to it"
        )
    if families <= already:
        return dataset.counts, 0
    catalogue = catalogue_for(seed, as_of)
    refs = References(catalogue)
    factory = FamilyFactory(seed, as_of)
    for _ in range(already):
        factory.family()  # replay, so that the next family is the one after them
    counts: Counter = Counter(dataset.counts if dataset else {})
    counts["teams"] = len(catalogue.teams)
    counts["staff"] = len(catalogue.staff)
    counts["group sessions"] = len(catalogue.sessions)
    for batch in batches(factory, families - already, batch_size):
        write_batch(batch, as_of, catalogue, refs, counts)
        progress(len(batch))
    GeneratedDataset.objects.update_or_create(
        seed=seed,
        defaults={"families": families, "as_of": as_of, "counts": dict(sorted(counts.items()))},
    )
    return dict(sorted(counts.items())), families - already
