"""Insights hold aggregates and programme data only (read by retention)."""

import contextlib

from django.apps import apps

from residenthub.core.personal_data_registry import no_personal_data

AGGREGATES = "Counts by day or month, service, team, ward and channel: no person."
WHY = {
    "DailyCaseStat": AGGREGATES,
    "DailyCloseTime": AGGREGATES,
    "DailyBacklog": AGGREGATES,
    "MonthlyCaseStat": AGGREGATES,
    "MonthlyCloseTime": AGGREGATES,
    "RollupDay": "Which days' aggregates are built.",
    "JourneyStart": "A random key per started online journey (for completion rates).",
    "ReportDefinition": "A report's panels, filters and staff recipients.",
    "ReportRun": "A report's PDF and CSV of aggregates (small counts suppressed).",
    "Programme": "The digital programme's budget.",
    "Project": "Projects of the programme.",
    "Milestone": "Milestones of the programme.",
    "Benefit": "Benefits register entries; owners are job titles.",
    "RagChange": "A benefit's status changes and the staff member who made them.",
    "BenefitsLoad": "A loaded benefits register file and its findings.",
}
for name, why in WHY.items():
    # A model renamed or not there yet is skipped: the declarations test names what is missing.
    with contextlib.suppress(LookupError):
        no_personal_data(apps.get_model("insights", name), why)
