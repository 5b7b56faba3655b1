"""The records manager's pages: the schedule, sweeps (and the next one's dry run), legal holds,
erasure requests and their certificates. Views stay thin: ``actions`` and ``queries`` do the work."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from residenthub.accounts.permissions import can_manage_retention
from residenthub.core.actions import ActionError, Actor

from . import actions, queries
from .models import ErasureRequest, LegalHold, SweepRun
from .schedule import ScheduleError, load

try:  # the staff decorator's home (moving from backoffice to accounts)
    from residenthub.accounts.auth import staff_required
except ImportError:  # pragma: no cover
    from residenthub.backoffice.auth import staff_required


def records_manager(view):
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not can_manage_retention(request.user):
            raise PermissionDenied("Only the records manager can see retention pages.")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@records_manager
def schedule(request):
    """The schedule as the records manager wrote it (or the problems that stop it loading)."""
    problems = []
    loaded = None
    try:
        loaded = load()
    except ScheduleError as exc:
        problems = exc.problems
    return render(request, "retention/schedule.html", {"schedule": loaded, "problems": problems})


@records_manager
def sweeps(request):
    runs = list(SweepRun.objects.all()[:30])
    dry = next((r for r in runs if r.dry_run), None)
    return render(request, "retention/sweeps.html", {"runs": runs, "dry": dry})


@records_manager
@require_POST
def dry_run(request):
    try:
        run = actions.sweep(dry_run=True, by=Actor.from_request(request))
    except (ActionError, ScheduleError) as exc:
        messages.error(request, str(exc))
        return redirect("retention:sweeps")
    return redirect("retention:sweep", pk=run.pk)


@records_manager
def sweep(request, pk: int):
    run = get_object_or_404(SweepRun, pk=pk)
    return render(request, "retention/sweep.html", {"run": run})


def _hold_target(kind: str, value: str):
    from residenthub.cases.models import Case
    from residenthub.foi.models import InformationRequest
    from residenthub.identity.models import Person

    value = value.strip().upper()
    if not value:
        return None, "Enter the person's id, the case reference or the request reference"
    model = {
        "person": (Person, "public_id"),
        "case": (Case, "reference"),
        "request": (InformationRequest, "reference"),
    }
    if kind not in model:
        return None, "Choose what the hold covers"
    cls, field = model[kind]
    found = cls.objects.filter(**{field: value}).first()
    if found is None:
        return None, f"No {kind} has the reference {value}"
    return found, ""


@records_manager
@require_http_methods(["GET", "POST"])
def holds(request):
    errors, values = [], {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("kind", "covers", "target", "reason")}
        target, problem = _hold_target(values["covers"], values["target"])
        if problem:
            errors.append(("target", problem))
        else:
            try:
                actions.place_hold(
                    values["kind"],
                    values["reason"],
                    **{values["covers"]: target},
                    by=Actor.from_request(request),
                )
            except actions.HoldError as exc:
                errors += [
                    (field if field != "target" else "target", msg) for field, msg in exc.errors.items()
                ]
            else:
                messages.success(request, "Hold placed: the records it covers will not be deleted.")
                return redirect("retention:holds")
    return render(
        request,
        "retention/holds.html",
        {"holds": queries.active_holds(), "errors": errors, "values": values, "error_for": dict(errors)},
        status=400 if errors else 200,
    )


@records_manager
@require_POST
def release_hold(request, pk: int):
    hold = get_object_or_404(LegalHold, pk=pk)
    try:
        actions.release_hold(hold, request.POST.get("release_reason", ""), by=Actor.from_request(request))
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Hold released.")
    return redirect("retention:holds")


@records_manager
def erasures(request):
    return render(request, "retention/erasures.html", {"erasures": ErasureRequest.objects.all()[:100]})


@records_manager
@require_http_methods(["GET", "POST"])
def erasure_new(request, public_id: str):
    from residenthub.identity.models import Person

    person = get_object_or_404(Person, public_id=public_id)
    errors, values = [], {"grounds": "erasure", "received_on": dt.date.today().isoformat()}
    if request.method == "POST":
        values = {
            "grounds": request.POST.get("grounds", ""),
            "received_on": request.POST.get("received_on", ""),
        }
        received = None
        try:
            received = dt.date.fromisoformat(values["received_on"].strip())
        except ValueError:
            errors.append(("received_on", "Enter the date the request was received, like 2026-11-26"))
        if not errors:
            try:
                erasure = actions.open_erasure(
                    person, values["grounds"], received_on=received, by=Actor.from_request(request)
                )
            except actions.HoldError as exc:
                errors += list(exc.errors.items())
            else:
                return redirect("retention:erasure", reference=erasure.reference)
    return render(
        request,
        "retention/erasure_new.html",
        {"person": person, "errors": errors, "values": values, "error_for": dict(errors)},
        status=400 if errors else 200,
    )


@records_manager
@require_http_methods(["GET", "POST"])
def erasure(request, reference: str):
    erasure = get_object_or_404(ErasureRequest, reference=reference)
    errors = []
    include = request.POST.getlist("include") if request.method == "POST" else []
    if request.method == "POST" and erasure.status == ErasureRequest.Status.OPEN:
        if request.POST.get("cancel"):
            actions.cancel_erasure(erasure, by=Actor.from_request(request))
            messages.success(request, "Erasure request cancelled.")
            return redirect("retention:erasures")
        if request.POST.get("confirm") != "yes":
            errors.append(("confirm", "Confirm that the records listed as erasable are to be erased"))
        else:
            try:
                actions.erase(erasure, include=include, by=Actor.from_request(request))
            except ActionError as exc:
                errors.append(("confirm", str(exc)))
            else:
                messages.success(request, "Erased. The teams and connected systems have been told.")
                return redirect("retention:erasure", reference=erasure.reference)
    plan = None
    if erasure.status == ErasureRequest.Status.OPEN and erasure.person is not None:
        plan = queries.erasure_plan(erasure.person, include=include)
    return render(
        request,
        "retention/erasure.html",
        {"erasure": erasure, "plan": plan, "errors": errors, "error_for": dict(errors), "include": include},
        status=400 if errors else 200,
    )


@records_manager
def certificate(request, reference: str):
    erasure = get_object_or_404(ErasureRequest, reference=reference)
    if not erasure.certificate:
        raise Http404("No certificate: the erasure has not been carried out")
    response = HttpResponse(bytes(erasure.certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="erasure-{erasure.reference}.pdf"'
    return response
