"""The subject access bundle pages: the officer's (make, review, approve, send, schedule).
The requester's download link is a protected package's (packages.views).

Thin views: the writes and their audit events are in bundles.services. Each page showing
copied records records a look against every person whose records it shows. URLs carry
public ids, never personal data.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record_many
from earlyhelp.bundles import forms as f
from earlyhelp.bundles import render as pdf
from earlyhelp.bundles import services
from earlyhelp.bundles.models import Bundle, BundleItem, Redaction
from earlyhelp.packages import services as packages
from earlyhelp.packages.views import link_made_page, pdf_response
from earlyhelp.rights.models import RightsRequest

# A service's refusal ("field: rule") on its form field: the outcome pages' helper.
from earlyhelp.rights.outcome_views import refused_page
from earlyhelp.rights.outcomes import request_refusal
from earlyhelp.web.forms import add_refusal, refusal_sentence
from earlyhelp.web.once import submitted_once

IG = Role.INFORMATION_GOVERNANCE
RECORDS_A_PAGE = 25


def _request(request_id) -> RightsRequest:
    return get_object_or_404(
        RightsRequest.objects.select_related("handled_by"), public_id=request_id
    )


def _bundle(bundle_id) -> Bundle:
    return get_object_or_404(
        Bundle.objects.select_related("request__handled_by"), public_id=bundle_id
    )


def _may_read(request: HttpRequest, rights_request: RightsRequest) -> str | None:
    """Only the officer handling the request reads its bundle, open or closed; a record
    restricted from them since stays closed (access.rules)."""
    handler = rights_request.handled_by
    if handler is None or handler.pk != request.user.pk:
        return request_refusal(rights_request, request.user) or "request: handled by another"
    return services.restricted_refusal(rights_request, request.user)


def _audit_looks(request: HttpRequest, bundle: Bundle, items: list[BundleItem]) -> None:
    """One look against each person whose copied records the page shows."""
    shown: dict = defaultdict(set)
    people = {}
    for item in items:
        people[item.person_id] = item.person
        shown[item.person_id].update(c for c in item.category.split(",") if c)
    record_many(
        request,
        [
            {
                "action": "view",
                "record_type": services.RECORD_TYPE,
                "record_id": people[pid].public_id,
                "categories": sorted(categories),
                "reason": f"Rights request {bundle.request.reference}",
                "rule": "access:rights-request",
                "details": {
                    "what": "subject access bundle reviewed",
                    "bundle": str(bundle.public_id),
                },
            }
            for pid, categories in shown.items()
        ],
    )


def _counts(bundle: Bundle) -> dict[str, int]:
    counts = {d: 0 for d in Redaction.Decision.values}
    for row in (
        Redaction.objects.filter(item__bundle=bundle).values_list("decision", flat=True).iterator()
    ):
        counts[row] += 1
    return counts


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def bundle_page(request: HttpRequest, request_id) -> HttpResponse:
    """The request's bundle: make one (POST), or see where the latest stands."""
    rights_request = _request(request_id)
    problem = _may_read(request, rights_request)
    if problem:
        return refused_page(request, rights_request, problem)
    if request.method == "POST":
        try:
            bundle = services.make_bundle(request, rights_request)
        except services.BundleRefused as refusal:
            messages.error(request, refusal_sentence(refusal))
            return redirect("bundles:bundle", request_id=rights_request.public_id)
        return redirect("bundles:review", bundle_id=bundle.public_id)
    bundles = rights_request.bundles.order_by("-made_at")
    latest = bundles.first()
    context = {
        "rights_request": rights_request,
        "latest": latest,
        "earlier": bundles[1:],
        "counts": _counts(latest) if latest else None,
        "packages": list(services.packages_sent(latest)) if latest else [],
        "may_act": request_refusal(rights_request, request.user, "access") is None,
        "not_ready": refusal_sentence(services.not_ready(rights_request)),
        "back": reverse("rights:request", args=[rights_request.public_id]),
    }
    return render(request, "bundles/bundle.html", context)


@role_required(IG)
@require_safe
def review(request: HttpRequest, bundle_id) -> HttpResponse:
    """Each record with its proposals in context, a page of records at a time: by default
    only those with something to decide."""
    bundle = _bundle(bundle_id)
    problem = _may_read(request, bundle.request)
    if problem:
        return refused_page(request, bundle.request, problem)
    show = request.GET.get("show", "undecided")
    items = bundle.items.select_related("person")
    if show == "undecided":
        sections = (
            Redaction.objects.filter(item__bundle=bundle, decision=Redaction.Decision.PENDING)
            .values_list("item__section", flat=True)
            .distinct()
        )
        items = items.filter(section__in=sections)
    elif show == "redacted":
        sections = (
            Redaction.objects.filter(item__bundle=bundle)
            .exclude(decision=Redaction.Decision.PENDING)
            .values_list("item__section", flat=True)
        )
        items = items.filter(section__in=sections) | bundle.items.exclude(withheld_exemption="")
    else:
        show = "all"
    section_numbers = sorted(set(items.values_list("section", flat=True)))
    paginator = Paginator(section_numbers, RECORDS_A_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    shown = list(
        bundle.items.filter(section__in=list(page.object_list))
        .select_related("person")
        .order_by("number")
    )
    redactions: dict[int, list[Redaction]] = defaultdict(list)
    texts = {item.pk: item.text for item in shown}
    for redaction in Redaction.objects.filter(item__in=shown).order_by("start"):
        redaction.words = texts[redaction.item_id][redaction.start : redaction.end]
        redactions[redaction.item_id].append(redaction)
    records: list[dict] = []
    for item in shown:
        if not records or records[-1]["section"] != item.section:
            records.append({"section": item.section, "first": item, "items": []})
        records[-1]["items"].append(
            {
                "item": item,
                "pieces": _pieces(item.text, redactions[item.pk]),
                "redactions": redactions[item.pk],
            }
        )
    _audit_looks(request, bundle, shown)
    policy_rules = services.settings_of_policy()
    context = {
        "bundle": bundle,
        "rights_request": bundle.request,
        "records": records,
        "page": page,
        "show": show,
        "counts": _counts(bundle),
        "exemptions": policy_rules.exemptions,
        "default_exemption": policy_rules.third_party_exemption,
        "reviewing": bundle.status == Bundle.Status.REVIEWING,
        "back": reverse("bundles:bundle", args=[bundle.request.public_id]),
    }
    return render(request, "bundles/review.html", context)


def _pieces(text: str, redactions: list[Redaction]) -> list[tuple[str, Redaction | None]]:
    """The text cut into plain pieces and proposed/decided spans, for showing in context.
    Overlapping spans show once, under the first."""
    pieces: list[tuple[str, Redaction | None]] = []
    at = 0
    for redaction in sorted(redactions, key=lambda r: (r.start, -r.end)):
        if redaction.start < at:
            continue
        if redaction.start > at:
            pieces.append((text[at : redaction.start], None))
        pieces.append((text[redaction.start : redaction.end], redaction))
        at = redaction.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def _back_to_review(request: HttpRequest, bundle: Bundle, item: BundleItem | None = None):
    url = reverse("bundles:review", args=[bundle.public_id])
    query = request.POST.get("back_query", "")
    if query and query.replace("=", "").replace("&", "").replace("-", "").isalnum():
        url += f"?{query}"
    if item is not None:
        url += f"#item-{item.number}"
    return redirect(url)


@role_required(IG)
@require_POST
@submitted_once
def decide(request: HttpRequest, bundle_id, redaction_id) -> HttpResponse:
    """Accept (with an exemption) or reject one proposal."""
    bundle = _bundle(bundle_id)
    redaction = get_object_or_404(
        Redaction.objects.select_related("item__person", "item__bundle__request"),
        public_id=redaction_id,
        item__bundle=bundle,
    )
    # A button per decision on a list of proposals: the service checks the values and says
    # which field is wrong (an exemption the policy does not list, a decision not offered).
    try:
        services.decide(
            request,
            redaction,
            request.POST.get("decision", ""),
            request.POST.get("exemption", ""),
            request.POST.get("reason", ""),
        )
    except services.BundleRefused as refusal:
        messages.error(request, refusal_sentence(refusal))
    return _back_to_review(request, bundle, redaction.item)


@role_required(IG)
@require_POST
@submitted_once
def accept_all(request: HttpRequest, bundle_id) -> HttpResponse:
    """Accept every proposal not yet decided, with one exemption."""
    bundle = _bundle(bundle_id)
    try:
        count = services.decide_all(request, bundle, request.POST.get("exemption", ""))
    except services.BundleRefused as refusal:
        messages.error(request, refusal_sentence(refusal))
    else:
        messages.success(request, f"{count:,} proposed redactions accepted")
    return _back_to_review(request, bundle)


def _item(bundle: Bundle, number: int) -> BundleItem:
    return get_object_or_404(
        BundleItem.objects.select_related("person", "bundle__request"), bundle=bundle, number=number
    )


def _item_page(
    request: HttpRequest, bundle_id, number: int, form_class, act, template: str
) -> HttpResponse:
    """A page about one passage with a form: `act(item, cleaned_data)` is the service call;
    its refusal goes on the form's field, nothing written."""
    bundle = _bundle(bundle_id)
    problem = _may_read(request, bundle.request)
    if problem:
        return refused_page(request, bundle.request, problem)
    item = _item(bundle, number)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            act(item, form.cleaned_data)
        except services.BundleRefused as refusal:
            add_refusal(form, refusal)
        else:
            return _back_to_review(request, bundle, item)
    _audit_looks(request, bundle, [item])
    context = {
        "bundle": bundle,
        "rights_request": bundle.request,
        "item": item,
        "form": form,
        "back": reverse("bundles:review", args=[bundle.public_id]),
    }
    return render(request, template, context)


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def add_redaction(request: HttpRequest, bundle_id, number: int) -> HttpResponse:
    """Redact words the product did not propose, with an exemption and a reason."""

    def act(item: BundleItem, data: dict) -> None:
        services.add_redaction(request, item, data["words"], data["exemption"], data["reason"])

    return _item_page(
        request, bundle_id, number, f.AddRedactionForm, act, "bundles/add_redaction.html"
    )


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def withhold(request: HttpRequest, bundle_id, number: int) -> HttpResponse:
    """Withhold a whole passage, or the whole record, with an exemption and a reason."""

    def act(item: BundleItem, data: dict) -> None:
        services.withhold(
            request,
            item,
            data["exemption"],
            data["reason"],
            whole_record=data["scope"] == f.WHOLE_RECORD,
        )

    return _item_page(request, bundle_id, number, f.WithholdForm, act, "bundles/withhold.html")


@role_required(IG)
@require_POST
@submitted_once
def release(request: HttpRequest, bundle_id, number: int) -> HttpResponse:
    """Include a withheld passage again."""
    bundle = _bundle(bundle_id)
    item = _item(bundle, number)
    try:
        services.release(request, item)
    except services.BundleRefused as refusal:
        messages.error(request, refusal_sentence(refusal))
    return _back_to_review(request, bundle, item)


@role_required(IG)
@require_POST
@submitted_once
def approve(request: HttpRequest, bundle_id) -> HttpResponse:
    """Render and keep the PDF with every accepted redaction burned in."""
    bundle = _bundle(bundle_id)
    try:
        services.approve(request, bundle)
    except services.BundleRefused as refusal:
        messages.error(request, refusal_sentence(refusal))
        return _back_to_review(request, bundle)
    messages.success(request, "Bundle approved. Send it to the requester from here.")
    return redirect("bundles:bundle", request_id=bundle.request.public_id)


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def send(request: HttpRequest, bundle_id) -> HttpResponse:
    """Make the protected copy and its link; the password and link are shown once."""
    bundle = _bundle(bundle_id)
    problem = _may_read(request, bundle.request)
    if problem:
        return refused_page(request, bundle.request, problem)
    form = f.SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.deliver(request, bundle, form.cleaned_data["how"])
        except services.BundleRefused as refusal:
            add_refusal(form, refusal)
        else:
            context = {
                "bundle": bundle,
                "rights_request": bundle.request,
                "recipient": "the requester",
                "download_url": reverse(
                    "bundles:officer_download", args=[bundle.public_id, made.package.public_id]
                ),
                "back": reverse("bundles:bundle", args=[bundle.request.public_id]),
            }
            return link_made_page(request, "bundles/sent.html", made, context)
    context = {
        "bundle": bundle,
        "rights_request": bundle.request,
        "form": form,
        "back": reverse("bundles:bundle", args=[bundle.request.public_id]),
    }
    return render(request, "bundles/send.html", context)


@role_required(IG)
@require_safe
def officer_download(request: HttpRequest, bundle_id, package_id) -> HttpResponse:
    """The protected PDF as sent, for the officer (audited like the requester's)."""
    bundle = _bundle(bundle_id)
    problem = _may_read(request, bundle.request)
    if problem:
        return refused_page(request, bundle.request, problem)
    package = get_object_or_404(services.packages_sent(bundle), public_id=package_id)
    try:
        data = packages.download(request, package)
    except packages.PackageRefused as refusal:
        messages.error(request, refusal_sentence(refusal))
        return redirect("bundles:bundle", request_id=bundle.request.public_id)
    return pdf_response(data, package.file_name)


@role_required(IG)
@require_safe
def schedule(request: HttpRequest, bundle_id) -> HttpResponse:
    """The redaction schedule as a PDF, for the IG officer and the ICO only."""
    bundle = _bundle(bundle_id)
    problem = _may_read(request, bundle.request)
    if problem:
        return refused_page(request, bundle.request, problem)
    rows = services.schedule_rows(bundle)
    data = pdf.render_schedule(
        f"Redaction schedule: request {bundle.request.reference}", rows, services.SCHEDULE_HEADINGS
    )
    services.audit_schedule(request, bundle, len(rows))
    return pdf_response(data, f"redaction-schedule-{bundle.request.reference}.pdf")
