"""The only writers of "how did we do?": asking once after a case closes, and recording the answer."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from residenthub.cases.models import Case, NotifyBy
from residenthub.core import outbox
from residenthub.core.actions import ActionError, Actor, atomic, audit

from .models import FeedbackRequest, FeedbackResponse

SALT = "residenthub.feedback"
MAX_COMMENT = 1200


def make_token(case: Case) -> str:
    return signing.dumps(case.pk, salt=SALT, compress=True)


def read_token(token: str) -> int | None:
    """The case id a link was made for, or None when it is forged or too old."""
    try:
        return int(signing.loads(token, salt=SALT, max_age=settings.FEEDBACK_LINK_DAYS * 86400))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def link(case: Case) -> str:
    return settings.SITE_URL + reverse("feedback:answer", args=[make_token(case)])


@atomic
def ask(case: Case) -> FeedbackRequest | None:
    """Send the one question by the resident's chosen channel, once per case. Cases closed as
    duplicates, and residents who asked for no updates, are not asked."""
    case = Case.objects.select_for_update().select_related("service").get(pk=case.pk)
    if case.is_open or case.duplicate_of_id or FeedbackRequest.objects.filter(case=case).exists():
        return None
    if case.notify_by == NotifyBy.NONE:
        return None
    url = link(case)
    context = {
        "case": case,
        "service_name": case.service.name,
        "link": url,
        "council_name": settings.COUNCIL_NAME,
    }
    channel = case.notify_by
    with translation.override(case.language if case.language != "en" else "en-gb"):
        if channel == NotifyBy.EMAIL and case.contact_email:
            outbox.queue_email(
                case.contact_email,
                render_to_string("feedback/email_subject.txt", context).strip(),
                render_to_string("feedback/email.txt", context),
                case=case,
            )
        elif channel == NotifyBy.SMS and case.contact_phone:
            outbox.queue_sms(
                case.contact_phone, render_to_string("feedback/sms.txt", context).strip(), case=case
            )
        elif channel == NotifyBy.POST and case.contact_address:
            from residenthub.letters.actions import queue_letter

            queue_letter(case, "feedback", link=url, link_label="Tell us how we did")
        else:
            return None
    request = FeedbackRequest.objects.create(case=case, channel=channel)
    audit(Actor.system("feedback"), "feedback.asked", case, channel=channel)
    return request


@atomic
def record(case: Case, score, comment: str, *, by: Actor) -> FeedbackResponse:
    """The resident's answer. One per case; the question is optional to answer, never to change."""
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise ActionError("Select how satisfied you are with how we dealt with your request") from None
    if not 1 <= score <= 5:
        raise ActionError("Select how satisfied you are with how we dealt with your request")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise ActionError(f"Your comments must be {MAX_COMMENT} characters or fewer")
    if FeedbackResponse.objects.filter(case=case).exists():
        raise ActionError("You have already told us how we did with this request. Thank you.")
    asked = FeedbackRequest.objects.filter(case=case).first()
    response = FeedbackResponse.objects.create(
        case=case,
        service=case.service,
        team=case.team,
        score=score,
        comment=comment,
        channel=asked.channel if asked else "web",
    )
    audit(by, "feedback.answered", case, score=score)
    return response
