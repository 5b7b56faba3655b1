""" "How did we do?": the resident's one question (a signed link, no sign-in, no JavaScript needed)
and the results for staff, per service and team, beside the front door's "did this answer your
question?"."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from residenthub.accounts.auth import staff_required
from residenthub.accounts.permissions import is_manager, team_ids_for
from residenthub.cases.models import Case
from residenthub.core.actions import ActionError, Actor

from . import actions
from .models import FeedbackResponse


@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    case_id = actions.read_token(token)
    case = Case.objects.select_related("service").filter(pk=case_id).first() if case_id else None
    if case is None:
        return render(request, "feedback/expired.html", status=404)
    if FeedbackResponse.objects.filter(case=case).exists():
        return render(request, "feedback/thanks.html", {"case": case, "already": True})
    raw = {"score": "", "comment": ""}
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        raw = {"score": request.POST.get("score", ""), "comment": request.POST.get("comment", "")[:5000]}
        try:
            actions.record(
                case, raw["score"], raw["comment"], by=Actor.from_request(request, label="resident")
            )
        except ActionError as exc:
            field = "comment" if "comments" in str(exc) else "score"
            errors.append((field, str(exc)))
        else:
            return render(request, "feedback/thanks.html", {"case": case})
    return render(
        request,
        "feedback/answer.html",
        {
            "case": case,
            "raw": raw,
            "errors": errors,
            "error_for": dict(errors),
            "scores": FeedbackResponse.SCORES,
            "max_comment": actions.MAX_COMMENT,
        },
        status=400 if errors else 200,
    )


def _summary(rows):
    return [
        {
            **row,
            "average": round(row["average"] or 0, 1),
            "satisfied_pct": round(100 * row["satisfied"] / row["answers"]) if row["answers"] else 0,
        }
        for row in rows
    ]


@staff_required
def results(request):
    """Answers for the user's teams (administrators: every team), by service and by team."""
    answers = FeedbackResponse.objects.all()
    if not request.user.is_superuser:
        answers = answers.filter(team_id__in=team_ids_for(request.user))
    figures = {
        "answers": Count("pk"),
        "average": Avg("score"),
        "satisfied": Count("pk", filter=Q(score__gte=4)),
    }
    by_team = _summary(answers.values("team__name").annotate(**figures).order_by("team__name"))
    by_service = _summary(
        answers.values("service__name", "team__name")
        .annotate(**figures)
        .order_by("team__name", "service__name")
    )
    comments = answers.exclude(comment="").select_related("case", "service")[:50]
    from residenthub.triage.models import AnswerFeedback

    pages = list(
        AnswerFeedback.objects.values("page")
        .annotate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
        .order_by("-no", "page")[:50]
    )
    return render(
        request,
        "feedback/results.html",
        {
            "by_team": by_team,
            "by_service": by_service,
            "comments": comments,
            "pages": pages,
            "manager": is_manager(request.user),
        },
    )
