"""Staff pages: clerical review, resident 360, household; the point-of-entry check as JSON."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from residenthub.accounts.auth import staff_required
from residenthub.core.audit import client_ip
from residenthub.core.audit import record as audit

from . import actions, queries, views_people
from .models import Household, Person

SHOWN_FIELDS = (
    ("first_name", "First name"),
    ("middle_name", "Middle names"),
    ("last_name", "Last name"),
    ("previous_last_name", "Previous last name"),
    ("dob", "Date of birth"),
    ("sex", "Sex"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("flat", "Flat"),
    ("number", "Number"),
    ("street", "Street"),
    ("town", "Town"),
    ("postcode", "Postcode"),
    ("uprn", "UPRN"),
    ("nhs_number", "NHS number"),
    ("ni_number", "NI number"),
    ("record_date", "Record date"),
)


@staff_required
def review_list(request):
    pairs = queries.review_queue(request.user)[:200]
    return render(request, "identity/review_list.html", {"pairs": pairs})


@staff_required
def review_pair(request, pk: int):
    pair = queries.review_queue(request.user).filter(pk=pk).first()
    if pair is None:
        raise Http404
    left, right = pair.record_l.standard, pair.record_r.standard
    keys = [(k, label) for k, label in SHOWN_FIELDS if left.get(k) or right.get(k)]
    extra = sorted(
        {k for k in {**left, **right} if k.startswith(("c_", "id_")) and (left.get(k) or right.get(k))}
    )
    keys += [(k, k[2:].replace("_", " ").capitalize()) for k in extra]
    rows = [
        {
            "label": label,
            "left": left.get(k, ""),
            "right": right.get(k, ""),
            "same": left.get(k) == right.get(k),
        }
        for k, label in keys
    ]
    labels = {**dict(SHOWN_FIELDS), "address": "Address"}
    named = [
        (labels.get(name) or name[2:].replace("_", " ").capitalize(), weight)
        for name, weight in sorted(pair.explanation.items(), key=lambda kv: -abs(kv[1]))
    ]
    explanation = [(label, weight) for label, weight in named if weight]
    not_compared = [label for label, weight in named if not weight]  # missing on one side or both
    audit("identity.review.viewed", pair, actor=request.user, ip=client_ip(request))
    return render(
        request,
        "identity/review_pair.html",
        {"pair": pair, "rows": rows, "explanation": explanation, "not_compared": not_compared},
    )


@staff_required
@require_POST
def review_decide(request, pk: int):
    pair = queries.review_queue(request.user).filter(pk=pk).first()
    if pair is None:
        raise Http404
    decision = request.POST.get("decision")
    if decision not in {"accepted", "rejected", "skipped"}:
        return HttpResponseBadRequest("unknown decision")
    actions.decide(pair, decision, by=request.user, ip=client_ip(request))
    following = queries.review_queue(request.user).exclude(pk=pk).first()
    return (
        redirect("identity:review_pair", pk=following.pk) if following else redirect("identity:review_list")
    )


@staff_required
def person_detail(request, public_id: str):
    person = get_object_or_404(Person, public_id=public_id)
    if person.merged_into_id:
        return redirect("identity:person", public_id=person.merged_into.public_id)
    records, hidden = queries.person_records(person, request.user)
    cases = queries.person_cases(person, request.user)
    if not records and not cases:
        # Known only from sources this user may not see: the page must not say the person exists.
        audit("identity.person.view_denied", person, actor=request.user, ip=client_ip(request))
        raise Http404
    audit("identity.person.viewed", person, actor=request.user, ip=client_ip(request))
    return render(
        request,
        "identity/person.html",
        {
            "person": person,
            "records": records,
            "hidden": hidden,
            "contacts": queries.contact_details(records),
            "cases": cases,
            "households": queries.households(person, request.user),
            "name": _display_name(records),
            **views_people.person_extra(request, person, records),
        },
    )


def _display_name(records) -> str:
    for record in records:
        s = record.standard
        if s.get("first_name") or s.get("last_name"):
            return " ".join(x for x in [s.get("first_name"), s.get("last_name")] if x).title()
    return ""


@staff_required
def household_detail(request, public_id: str):
    household = get_object_or_404(Household, public_id=public_id)
    members = queries.household_members(household, request.user)
    if not members:
        raise Http404  # known only from sources this user may not see
    audit("identity.household.viewed", household, actor=request.user, ip=client_ip(request))
    return render(request, "identity/household.html", {"household": household, "members": members})


@staff_required
@require_POST
def match(request):
    """Point-of-entry check as JSON: POST {"name", "dob", "email", "phone", "postcode"} -> candidates
    (the REST API has the same under /api/v1/staff/persons/match)."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "the body must be JSON"}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"error": "the body must be a JSON object"}, status=400)
    try:
        candidates = actions.match_contact(body, user=request.user)
    except actions.ContactError as exc:
        return JsonResponse({"errors": exc.errors}, status=400)
    audit(
        "identity.match.staff",
        request.user,
        actor=request.user,
        ip=client_ip(request),
        detail={"candidates": len(candidates)},
    )
    return JsonResponse({"candidates": candidates})
