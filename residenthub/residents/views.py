"""Staff: the team's tasks (tell-us-once address changes), and marking them done."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from residenthub.accounts.auth import staff_required
from residenthub.accounts.permissions import team_ids_for
from residenthub.core.actions import ActionError, Actor

from . import actions
from .models import TeamTask


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
