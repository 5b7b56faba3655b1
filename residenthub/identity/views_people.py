"""Staff pages of issue 15: person search, the 360 page's timeline/flags/preferences, and the case
page's person decisions (confirm, not this person, link to another person). Setting and clearing a
flag is the residents app's (``residents.views.person_flag``): the flags are its rows."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from residenthub.accounts.auth import staff_required
from residenthub.accounts.permissions import can_see_case
from residenthub.core.actions import ActionError, Actor, audit

from . import case_actions, hooks, people, search
from .models import Person


@staff_required
def person_search(request):
    """/staff/identity/people/?q=: find a resident by any mix of what the officer knows.

    ``?case=REF`` carries a case whose link the officer is changing: each result then offers
    "Link the case to this person"."""
    text = request.GET.get("q", "")[:200]
    case = _case_for_linking(request)
    query, results, errors = None, [], []
    if "q" in request.GET:
        if not text.strip():
            errors.append(("q", "Enter a name, date of birth, postcode, address, email, phone or reference"))
        else:
            query, results = search.search_people(text, request.user)
            audit(
                Actor.from_request(request),
                "identity.person.searched",
                request.user,
                results=len(results),
                restricted=sum(r.restricted for r in results),
            )
    return render(
        request,
        "identity/people.html",
        {
            "q": text,
            "query": query,
            "results": results,
            "errors": errors,
            "error_for": dict(errors),
            "case": case,
        },
        status=400 if errors else 200,
    )


def _case_for_linking(request):
    from residenthub.cases.models import Case

    reference = request.GET.get("case", "").strip().upper()[:20]
    if not reference:
        return None
    case = Case.objects.select_related("service").filter(reference=reference).first()
    return case if case is not None and can_see_case(request.user, case) else None


def person_extra(request, person, records) -> dict:
    """What the 360 page adds to the original person page: the name as written, timeline with
    filters, household members, contact preferences and language, and flags."""
    cases = list(people.visible_person_cases(person, request.user))
    chosen = {k for k, _ in people.TIMELINE_KINDS if k in request.GET.getlist("show")}
    kinds = chosen or {k for k, _ in people.TIMELINE_KINDS}
    return {
        # The heading's name as the source wrote it ("O'Brien"); replaces identity.views' own.
        "name": people.person_name(records),
        "timeline": people.timeline(person, request.user, records, cases, kinds)[:300],
        "timeline_kinds": people.TIMELINE_KINDS,
        "timeline_shown": kinds,
        "members": people.household_members(person, request.user),
        "preferences": people.preferences(person, cases),
        "flags": people.flags(person, cases),
        "flag_kinds": hooks.flag_kinds.items(),  # the flags staff may add (residents)
        "open_cases": [c for c in cases if c.is_open],
    }


@staff_required
@require_POST
def case_person(request, reference: str):
    """The case page's person decisions: confirm, "not this person", or link to another person."""
    from residenthub.cases.models import Case

    case = Case.objects.select_related("service").filter(reference=reference).first()
    if case is None or not can_see_case(request.user, case):
        raise Http404
    decision = request.POST.get("decision", "")
    by = Actor.from_request(request)
    try:
        if decision == "confirm":
            case_actions.confirm(case, by=by)
            messages.success(request, "Link to the person confirmed.")
        elif decision == "unlink":
            case_actions.unlink(case, by=by)
            messages.success(
                request, "Case unlinked: it now has a person of its own, and the decision is recorded."
            )
        elif decision == "link":
            person = Person.objects.filter(public_id=request.POST.get("person", "")).first()
            if person is None:
                raise ActionError("Choose a person from the search results.")
            case_actions.link_to(case, person, by=by)
            messages.success(request, f"Case linked to {person.public_id}.")
        else:
            raise ActionError("Choose what to do with the link.")
    except ActionError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("backoffice:case", args=[case.reference]) + "#person")
