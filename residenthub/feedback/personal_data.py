"""Personal data in "how did we do?" (read by retention)."""

from residenthub.core.personal_data_registry import declare, no_personal_data

from .models import FeedbackRequest, FeedbackResponse

declare(
    FeedbackResponse,
    record_class="feedback",
    fields=["comment"],
    links={"case": "case"},
    dates={"created": "created_at"},
    note="Anonymised: the score, service, team and channel stay for the results page.",
)
no_personal_data(FeedbackRequest, "When and how the question was sent for a case.")
