"""Data migrations are tested: 0003 gives every existing case its service's team."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("cases", "0002_back_office"),
    ("services", "0002_service_remind_at_share_service_response_templates"),
]
AFTER = [("cases", "0003_case_team_from_service")]


def test_existing_cases_get_their_services_team(catalogue):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Service = apps.get_model("services", "Service")
    Case = apps.get_model("cases", "Case")
    service = Service.objects.get(code="report-pothole")
    case = Case.objects.create(
        reference="DBC-TEST-MIG2",
        service=service,
        status="received",
        due_date=timezone.localdate(),
        team=None,
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from residenthub.cases.models import Case as CurrentCase

    migrated = CurrentCase.objects.get(pk=case.pk)
    assert migrated.team_id == service.team_id
