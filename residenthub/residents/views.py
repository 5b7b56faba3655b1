"""Staff: the team's tasks (tell-us-once address changes), and marking them done; flags on a person
(set and cleared from identity's resident 360 page). The resident account's pages are in
``account.py``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from residenthub.accounts.auth import staff_required
from residenthub.accounts.permissions import team_ids_for
from residenthub.core.actions import ActionError, Actor
from residenthub.identity import queries as identity_queries
from residenthub.identity.models import Person

from . import actions
from .models import PersonFlag, TeamTask


def _tasks(user):
    return TeamTask.objects.filter(team_id__in=team_ids_for(user)).select_related(
        "team", "person", "change__council_tax_case", "done_by"
    )


@staff_required
def task_list(request):
    show_done = request.GET.get("show") == "done"
    tasks = _tasks(request.user).filter(done_at__isnull=not show_done).order_by("-created_at")[:200]
    return render(request, "residents/tasks.html", {"tasks": tasks, "show_done": show_done})


@staff_required
@require_POST
def task_done(request, pk: int):
    task = _tasks(request.user).filter(pk=pk).first()
    if task is None:
        raise Http404
    try:
        actions.complete_task(task, by=Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Task marked as done.")
    return redirect("residents:tasks")


@staff_required
@require_POST
def person_flag(request, public_id: str):
    """Set or clear a flag on a person (audited, with who and when)."""
    person = get_object_or_404(Person, public_id=public_id)
    records, _ = identity_queries.person_records(person, request.user)
    if not records and not identity_queries.person_cases(person, request.user):
        raise Http404  # as the person page: known only from sources this user may not see
    by = Actor.from_request(request)
    try:
        if request.POST.get("clear"):
            flag = PersonFlag.objects.filter(person=person, pk=request.POST["clear"]).first()
            if flag is None:
                raise Http404
            actions.clear_flag(flag, by=by)
            messages.success(request, "Flag removed.")
        else:
            actions.set_flag(person, request.POST.get("kind", ""), request.POST.get("detail", ""), by=by)
            messages.success(request, "Flag added.")
    except ActionError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("identity:person", args=[person.public_id]) + "#flags")
