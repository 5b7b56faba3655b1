"""``{% next_need case %}``: after a request made from a message about several things, offer the next
one (ADR 0019). The resident's message was kept; the next service's form is prefilled from it."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("triage/_next_need.html", takes_context=True)
def next_need(context, case):
    from residenthub.triage.actions import suggested_services
    from residenthub.triage.models import TriageRecord
    from residenthub.triage.views import SESSION_KEY

    request = context.get("request")
    tokens = request.session.get(SESSION_KEY, []) if request is not None else []
    if not tokens or case is None:
        return {"record": None}
    rec = (
        TriageRecord.objects.filter(token__in=tokens, chosen_service=case.service_id)
        .order_by("-created_at", "-id")
        .first()
    )
    if rec is None:
        return {"record": None}
    suggested = suggested_services(rec)
    if not any(data.get("from_part") for _service, _confidence, data in suggested):
        return {"record": None}  # one need: nothing more to offer
    from residenthub.cases.models import Case
    from residenthub.portal.views import TRACKED_KEY

    sent = set(
        Case.objects.filter(reference__in=request.session.get(TRACKED_KEY, [])).values_list(
            "service_id", flat=True
        )
    )
    others = [
        service for service, _confidence, _data in suggested if service.pk not in sent | {case.service_id}
    ]
    return {"record": rec, "others": others}
