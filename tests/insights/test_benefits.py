"""The benefits register: the seed tables' disagreements reported, RAG changes with reasons and
history, measured benefits with their method, and bad files named clearly."""

from __future__ import annotations

import pytest
import yaml

from residenthub.core.actions import ActionError
from residenthub.core.models import AuditEntry
from residenthub.insights import actions, benefits, tracker
from residenthub.insights.models import Benefit, Programme

pytestmark = pytest.mark.django_db


def test_seed_figures_are_checked_and_disagreements_reported():
    load = actions.load_benefits()
    found = {f["where"]: f["message"] for f in load.findings}
    # Checked by hand against shared/seeds/cabinet-report-digital-strategy-2024-27.md:
    assert (
        "the years add up to 244, the row says 243"
        in found["Table 3 by directorate, Children & Young People"]
    )
    assert "the years add up to 129, the row says 130" in found["Table 3 by directorate, Central Services"]
    capital = found["February 2024 approved capital budget to 2028/29 (£'000)"]
    assert "14,816" in capital and "14,186" in capital
    assert "2.0" in found["Payback period on the £9m investment (years)"]
    assert "76 short" in found["Table 2 against Table 1"]
    # Table 1, Table 3's year totals and the benefits' targets all add up: nothing reported there.
    assert not [w for w in found if w.startswith("Table 1") or w.startswith("Benefits register")]
    assert len(load.findings) == 5
    assert [p.name for p in Programme.objects.all()] == [
        "Automations and Integrations",
        "Business Intelligence",
        "Customer Experience",
        "Consolidating and improving systems",
        "Enabling",
    ]
    assert sum(sum(p.budget.values()) for p in Programme.objects.all()) == 9000


def test_a_row_that_does_not_add_up_is_reported_not_fixed(tmp_path):
    data = yaml.safe_load(benefits.DEFAULT_FILE.read_text())
    data["programmes"][0]["budget"]["2024/25"] = 163
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(data))
    load = actions.load_benefits(path)
    where = {f["where"] for f in load.findings}
    assert {"Table 1, Automations and Integrations", "Table 1, Total 2024/25", "Table 1, Total"} <= where
    assert Programme.objects.get(slug="automations-and-integrations").budget["2024/25"] == 163


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.pop("years"), "'years' must list"),
        (lambda d: d["benefits"][0].update(rag="purple"), "rag must be red, amber or green"),
        (lambda d: d["benefits"][0].pop("rationale"), "'rationale' is missing"),
        (lambda d: d["benefits"][0].update(programme="nope"), "no programme 'nope'"),
        (lambda d: d["programmes"][0]["budget"].update({"2030/31": 5}), "'2030/31' is not one of the years"),
        (lambda d: d["benefits"][1]["targets"].update({"2025/26": "lots"}), "'lots' is not a number"),
    ],
)
def test_bad_files_are_named_and_nothing_is_saved(tmp_path, change, message):
    data = yaml.safe_load(benefits.DEFAULT_FILE.read_text())
    change(data)
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(benefits.BenefitsFileError, match=message):
        actions.load_benefits(path)
    assert not Benefit.objects.exists()


def test_rag_needs_a_reason_keeps_history_and_is_audited(service_manager):
    actions.load_benefits()
    benefit = Benefit.objects.get(slug="children-digital-services")
    with pytest.raises(ActionError, match="Give the reason"):
        actions.set_rag(benefit, "green", "  ", by=service_manager)
    with pytest.raises(ActionError, match="Choose red, amber or green"):
        actions.set_rag(benefit, "blue", "why", by=service_manager)
    actions.set_rag(benefit, "green", "SEND website live.", by=service_manager)
    benefit.refresh_from_db()
    history = list(benefit.rag_history.values_list("from_rag", "to_rag", "rationale"))
    assert history[0] == ("amber", "green", "SEND website live.")
    assert history[-1][1] == "amber"  # the loaded status starts the history
    assert AuditEntry.objects.filter(action="insights.rag_changed", object_id=str(benefit.pk)).exists()
    # Reloading the register keeps the owner's RAG status.
    actions.load_benefits()
    assert Benefit.objects.get(pk=benefit.pk).rag == "green"


def test_officers_and_councillors_cannot_set_rag(highways_officer, councillor):
    actions.load_benefits()
    benefit = Benefit.objects.first()
    for user in (highways_officer, councillor):
        with pytest.raises(ActionError, match="Only team leaders"):
            actions.set_rag(benefit, "red", "no", by=user)


def test_three_benefits_measured_from_the_platform_with_their_method(make_case):
    from django.utils import timezone

    from residenthub.insights import rollup
    from residenthub.triage.models import Outcome, TriageRecord

    for channel in ["web"] * 8 + ["phone"] * 2:
        make_case(channel=channel)
    for _ in range(4):
        TriageRecord.objects.create(outcome=Outcome.SUGGESTED, answer={"found": True})
    rollup.catch_up()
    actions.load_benefits()
    ctx = tracker.context(tracker.current_year(timezone.localdate()))
    measured = {r["benefit"].slug: r["measured"] for r in ctx["measured"]}
    assert set(measured) == {"measured-channel-shift", "measured-staff-time", "measured-foi-time"}
    shift = measured["measured-channel-shift"]
    # 8 of 10 online against a 40% baseline: 4 contacts moved, each saving phone £2.83 - web £0.15.
    assert shift.inputs == {"online": 8, "total": 10, "moved": 4}
    assert float(shift.value) == round(4 * (2.83 - 0.15) / 1000, 1)
    assert "4 contacts moved online, each saving £2.68" in shift.method
    staff = measured["measured-staff-time"]
    assert staff.inputs["answered"] == 4 and "6 minutes" in staff.method
    assert "documents redacted" in measured["measured-foi-time"].method


def test_benefits_page_shows_table3_beside_actuals_and_the_findings(client, service_manager):
    actions.load_benefits()
    client.force_login(service_manager)
    body = client.get("/staff/insights/benefits/").content.decode()
    assert "Table 3 by directorate beside the actuals reported" in body
    assert "Where the seed tables disagree" in body
    assert "14,186" in body and "the years add up to 244, the row says 243" in body
    assert "How it was measured" in body


def test_benefits_page_downloads_csv_and_xlsx(client, service_manager):
    import csv
    import io

    from openpyxl import load_workbook

    from residenthub.insights import actions

    actions.load_benefits()
    client.force_login(service_manager)
    response = client.get("/staff/insights/benefits/", {"year": "2025/26", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="insights-benefits-2025-26.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    titles = [r[0] for r in rows if r]
    assert "Benefits register" in titles and "Where the seed tables disagree" in titles
    total = next(r for r in rows if r and r[0] == "Total")
    assert total[1:6:2] == ["1463.0", "1425.0", "1369.0"]  # Table 3, £'000 by year
    response = client.get("/staff/insights/benefits/", {"year": "2025/26", "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Filters", "programmes", "table3", "register", "findings"]
    assert book["findings"].max_row == 2 + 5  # title, header, the five findings
    bad = client.get("/staff/insights/benefits/", {"format": "pdf"})
    assert bad.status_code == 400 and "Downloads are CSV or XLSX." in bad.content.decode()
