"""Personal data in the front door's log and training examples (read by retention)."""

from residenthub.core.personal_data_registry import DELETE, declare, no_personal_data

from .models import AnswerFeedback, ModelVersion, TrainingExample, TriageRecord

declare(
    TriageRecord,
    record_class="triage-message",
    fields=[
        "text",
        "translated_text",
        "details",
        "flags",
        "staff_note",
        "contact_name",
        "contact_email",
        "contact_phone",
        "call_id",
    ],
    erase=DELETE,
    links={"triage": "pk", "case": "case"},
    match={"email": ["contact_email"], "phone": ["contact_phone"]},
    dates={"created": "created_at"},
)
declare(
    TrainingExample,
    record_class="triage-training",
    fields=["text"],
    erase=DELETE,
    links={"triage": "record"},
    dates={"created": "created_at"},
    note="A model trained on an erased example is retrained without it at the next weekly retrain.",
)
no_personal_data(AnswerFeedback, "Whether a page answered a question: the page and yes or no.")
no_personal_data(ModelVersion, "Model files and their scores.")
