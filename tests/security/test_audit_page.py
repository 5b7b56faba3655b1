"""Finding 17 (low): a manager's audit page covers every case their teams can see, not the first 5,000."""

import pytest
from django.test import Client

from residenthub.cases.models import Case
from residenthub.cases.queries import visible_cases
from residenthub.core import audit

pytestmark = pytest.mark.django_db


def test_audit_page_finds_entries_beyond_the_first_five_thousand_cases(team_leader, make_case):
    template = make_case()
    fields = {
        f.name: getattr(template, f.name)
        for f in Case._meta.concrete_fields
        if f.name not in {"id", "reference", "submission_key"}
    }
    Case.objects.bulk_create(
        [Case(**fields, reference=f"DBC-TEST-{i:05d}", submission_key=None) for i in range(5001)],
        batch_size=1000,
    )
    first_5000 = set(visible_cases(team_leader).values_list("pk", flat=True)[:5000])
    beyond = visible_cases(team_leader).exclude(pk__in=first_5000).first()
    assert beyond is not None
    audit.record("case.viewed", beyond, actor=None, actor_label="night job")
    client = Client()
    client.force_login(team_leader)
    page = client.get("/staff/audit/").content.decode()
    assert "night job" in page
