"""Request events: kinds as an enum, and append-only on PostgreSQL (a trigger, ADR 0060)."""

from django.db import migrations, models

from residenthub.core.triggers import append_only

KINDS = [
    ("logged", "Logged"),
    ("acknowledged", "Acknowledged"),
    ("clock_paused", "Clock paused"),
    ("clock_resumed", "Clock resumed"),
    ("extended", "Deadline extended"),
    ("escalated", "Escalated"),
    ("due_date_recalculated", "Due date recalculated"),
    ("task_added", "Task added"),
    ("task_done", "Task done"),
    ("draft_saved", "Draft saved"),
    ("submitted_for_approval", "Submitted for approval"),
    ("approved", "Approved"),
    ("responded", "Responded"),
    ("internal_review_requested", "Internal review requested"),
    ("internal_review_completed", "Internal review completed"),
    ("referred", "Referred"),
    ("closed", "Closed"),
    ("document_added", "Document added"),
    ("page_reviewed", "Page reviewed"),
    ("redaction_applied", "Redaction applied"),
    ("publication_prepared", "Publication prepared"),
    ("published", "Published"),
    ("sar_pack_built", "Subject access pack built"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_append_only"),
        ("foi", "0003_redaction_review"),
    ]

    operations = [
        migrations.AlterField(
            model_name="requestevent",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=40),
        ),
        append_only("foi_requestevent"),
    ]
