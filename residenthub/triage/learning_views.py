"""Staff pages for safe continuous learning: review the examples that may teach the model, see every
model version with its scores, and roll back to an earlier one (ADR 0016, 0017).

Same people as the triage log: staff in ``TRIAGE_TEAMS`` and superusers.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from residenthub.accounts.auth import staff_required
from residenthub.accounts.permissions import can_triage

from . import actions
from .models import ModelVersion, TrainingExample, TrainingReview


def _triage_staff(request) -> None:
    if not can_triage(request.user):
        raise PermissionDenied


@staff_required
@require_http_methods(["GET"])
def examples(request):
    _triage_staff(request)
    review = request.GET.get("review", TrainingReview.PENDING)
    if review not in TrainingReview.values:
        review = TrainingReview.PENDING
    rows = TrainingExample.objects.filter(review=review).select_related("service", "record")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "triage/staff_examples.html",
        {"page": page, "review": review, "reviews": TrainingReview.choices},
    )


@staff_required
@require_POST
def review_example(request, pk):
    _triage_staff(request)
    example = get_object_or_404(TrainingExample, pk=pk)
    decision = request.POST.get("decision")
    if decision not in {"approve", "reject"}:
        messages.error(request, "Choose whether to use this message for training or not")
        return redirect("triage:staff_examples")
    actions.review_example(example, approve=decision == "approve", by=request.user)
    messages.success(
        request, "Approved for training" if decision == "approve" else "It will not be used for training"
    )
    return redirect("triage:staff_examples")


@staff_required
@require_http_methods(["GET"])
def model_versions(request):
    _triage_staff(request)
    versions = ModelVersion.objects.all()[:100]
    return render(request, "triage/staff_models.html", {"versions": versions, "errors": []})


@staff_required
@require_POST
def activate_model(request, pk):
    _triage_staff(request)
    version = get_object_or_404(ModelVersion, pk=pk)
    note = (request.POST.get("note") or "").strip()
    errors = []
    if not note:
        errors.append(("note", "Say why you are changing the model"))
    elif version.active:
        errors.append(("note", "That model is already the one in use"))
    else:
        try:
            actions.activate_version(version, by=request.user, note=note)
        except actions.TriageError as exc:
            errors.append(("note", str(exc)))
    if errors:
        return render(
            request,
            "triage/staff_models.html",
            {
                "versions": ModelVersion.objects.all()[:100],
                "errors": errors,
                "error_for": dict(errors),
                "failed": version,
            },
            status=400,
        )
    messages.success(request, f"The front door now uses model {version.version}")
    return redirect("triage:staff_models")
