"""Open data (public, no personal data, suppressed), unit costs configuration, wards from the
council's lookup, journeys counted from drafts, and the analysts' Parquet export."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from residenthub.core.models import Address
from residenthub.insights import kpis, rollup
from residenthub.insights.models import JourneyStart

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(make_case):
    cases = [make_case(channel=c, email="someone.private@example.com") for c in ["web"] * 6 + ["phone"] * 3]
    rollup.catch_up()
    return cases


def test_kpis_open_data_is_public_and_has_no_personal_data(client, month):
    period = f"{timezone.localdate():%Y-%m}"
    response = client.get("/open-data/service-kpis.csv", {"period": period})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    pothole = next(r for r in rows if r["service"] == "report-pothole")
    assert pothole["transactions"] == "9"
    assert pothole["digital_take_up"] == str(round(100 * 6 / 9, 1))
    # (6 x £0.15 + 3 x £2.83) / 9 with the default unit costs
    assert pothole["cost_per_transaction"] == str(round((6 * 0.15 + 3 * 2.83) / 9, 2))
    body = client.get("/open-data/service-kpis.json", {"period": period}).content.decode()
    data = json.loads(body)
    assert data["services"][0]["service"] == "report-pothole"
    assert "someone.private" not in body and "someone.private" not in response.content.decode()
    bad = client.get("/open-data/service-kpis.json", {"period": "soon"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "period"


def test_completion_rate_counts_journeys_started_from_drafts(client, month, pothole):
    from residenthub.insights.jobs import scan_journeys

    session = client.session
    session["drafts"] = {"report-pothole": {"answers": {"a": 1}, "done": ["a"], "key": "k-started-1"}}
    session.save()
    assert scan_journeys() == 1
    assert scan_journeys() == 0  # each journey once
    assert JourneyStart.objects.get().service_code == "report-pothole"
    from residenthub.insights.filters import Filters

    filters, _ = Filters.from_query({"period": f"{timezone.localdate():%Y-%m}"})
    row = next(r for r in kpis.figures(filters) if r["service"] == "report-pothole")
    # make_case gives no submission key, so no web journey was completed: started 1, completed 0.
    assert row["journeys_started"] == "<5" and row["completion_rate"] == "<5"


def test_unit_costs_file_errors(settings, tmp_path):
    path = tmp_path / "costs.yaml"
    path.write_text("default: 1\ncosts: {web: 0.1, phone: -1}\n")
    settings.INSIGHTS_UNIT_COSTS_FILE = str(path)
    kpis._load.cache_clear()
    with pytest.raises(kpis.UnitCostError, match="the cost of 'phone' must be a number of pounds"):
        kpis.unit_costs()
    path.write_text("default: 1\ncosts: {web: 0.1, pigeon: 3}\n")
    kpis._load.cache_clear()
    with pytest.raises(kpis.UnitCostError, match="unknown channels \\['pigeon'\\]"):
        kpis.unit_costs()
    kpis._load.cache_clear()


def test_load_wards_by_postcode_and_uprn(tmp_path):
    path = tmp_path / "wards.csv"
    path.write_text("postcode,uprn,ward\ne20 1ab,,Olympic Park\n,100090000720,Lea Bridge\n")
    call_command("load_wards", str(path), stdout=io.StringIO())
    assert set(Address.objects.filter(postcode="E20 1AB").values_list("ward", flat=True)) == {"Olympic Park"}
    assert Address.objects.get(uprn="100090000720").ward == "Lea Bridge"
    path.write_text("postcode,ward\nnot a postcode,X\n")
    with pytest.raises(CommandError, match="line 2: no valid UPRN or postcode; nothing was loaded"):
        call_command("load_wards", str(path))
    path.write_text("name,ward\nx,y\n")
    with pytest.raises(CommandError, match="needs a 'ward' column and a 'uprn' or 'postcode' column"):
        call_command("load_wards", str(path))
    assert Address.objects.get(uprn="100090000720").ward == "Lea Bridge"


def test_parquet_export_for_analysts(month, tmp_path):
    call_command("insights", "export", "--out", str(tmp_path), stdout=io.StringIO())
    con = duckdb.connect()
    con.execute(f"set file_search_path = '{tmp_path}'")
    received = con.execute("select sum(received) from 'daily_case_stats.parquet'").fetchall()[0][0]
    assert received == 9
    monthly = con.execute("select sum(received) from 'monthly_case_stats.parquet'").fetchall()[0][0]
    assert monthly == 9
    names = con.execute(
        "select s.code from 'daily_case_stats.parquet' d "
        "join 'services.parquet' s using (service_id) group by 1"
    ).fetchall()
    assert names == [("report-pothole",)]
