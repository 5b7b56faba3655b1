"""Staff: letters to print (one PDF per letter, a batch PDF of all waiting), mark them posted."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from residenthub.accounts.auth import staff_required
from residenthub.cases.queries import visible_cases
from residenthub.core.actions import ActionError, Actor, audit

from . import actions
from . import render as renderer
from .models import Letter


def _letters(user):
    return Letter.objects.filter(case__in=visible_cases(user).values("pk")).select_related("case__service")


@staff_required
def letter_list(request):
    waiting = list(_letters(request.user).filter(status=Letter.Status.TO_PRINT).defer("pdf"))
    recent = list(
        _letters(request.user)
        .exclude(status=Letter.Status.TO_PRINT)
        .defer("pdf")
        .order_by("-created_at")[:50]
    )
    return render(request, "letters/list.html", {"waiting": waiting, "recent": recent})


def _pdf_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def letter_pdf(request, pk: int):
    letter = _letters(request.user).filter(pk=pk).first()
    if letter is None:
        raise Http404
    audit(Actor.from_request(request), "letter.viewed", letter.case, letter=letter.pk)
    return _pdf_response(bytes(letter.pdf), f"letter-{letter.reference}.pdf")


@staff_required
def batch_pdf(request):
    letters = list(_letters(request.user).filter(status=Letter.Status.TO_PRINT))
    if not letters:
        messages.info(request, "There are no letters waiting to be printed.")
        return redirect("letters:list")
    audit(Actor.from_request(request), "letter.batch_downloaded", request.user, letters=len(letters))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _pdf_response(renderer.merge([bytes(letter.pdf) for letter in letters]), f"letters-{stamp}.pdf")


@staff_required
@require_POST
def mark_printed(request):
    chosen = [int(x) for x in request.POST.getlist("letters") if x.isdigit()]
    letters = list(_letters(request.user).filter(pk__in=chosen))
    try:
        count = actions.mark_printed(letters, by=Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{count} letter{'s' if count != 1 else ''} marked as posted.")
    return redirect("letters:list")
