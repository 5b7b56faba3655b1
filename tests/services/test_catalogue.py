"""The catalogue file: validated whole, loaded all or nothing."""

import textwrap

import pytest
from django.core.management import CommandError, call_command

from residenthub.services.actions import load_catalogue, parse_catalogue, read_lgsl
from residenthub.services.definitions import QUESTION_TYPES, DefinitionError
from residenthub.services.models import Service

LGSL = set(read_lgsl())

MINIMAL = """
directorates:
  - slug: env
    name: Environment
    teams: [{slug: highways, name: Highways}]
workflows:
  simple:
    initial: received
    statuses:
      - {code: received, label: Received, state: open}
      - {code: done, label: Done, state: closed}
    transitions: {received: [done], done: [received]}
services:
  - code: report-pothole
    name: Report a pothole
    lgsl: 557
    team: highways
    target_working_days: 5
    workflow: simple
    questions:
      - {name: where, type: location, label: Where is it}
"""


def test_the_demo_catalogue_is_valid_and_complete(settings):
    catalogue = parse_catalogue(settings.CATALOGUE_FILE.read_text(encoding="utf-8"), LGSL)
    codes = {s["code"] for s in catalogue["services"]}
    assert len(codes) >= 26
    for expected in [
        "report-pothole",
        "missed-bin",
        "child-safeguarding-concern",
        "foi-request",
        "borrow-a-laptop",
    ]:
        assert expected in codes
    used_types = {q["type"] for s in catalogue["services"] for q in s["questions"]}
    assert used_types == QUESTION_TYPES
    restricted = {s["code"] for s in catalogue["services"] if s.get("restricted")}
    assert "child-safeguarding-concern" in restricted


def test_every_service_has_a_real_lgsl_code_and_team(catalogue):
    for service in Service.objects.select_related("lgsl", "team"):
        assert service.lgsl.description
        assert service.team.directorate_id


def _problems(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        parse_catalogue(textwrap.dedent(text), LGSL)
    return info.value.problems


def test_minimal_catalogue_parses():
    assert parse_catalogue(MINIMAL, LGSL)["services"][0]["code"] == "report-pothole"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("type: location", "type: nmber"), "unknown type 'nmber'"),
        (("lgsl: 557", "lgsl: 99999"), "not a code in the Local Government Service List"),
        (("team: highways", "team: roads"), "unknown team 'roads'"),
        (("workflow: simple", "workflow: nope"), "unknown workflow 'nope'"),
        (
            ("transitions: {received: [done], done: [received]}", "transitions: {received: [closed]}"),
            "transition to unknown status 'closed'",
        ),
        (("transitions: {received: [done], done: [received]}", "transitions: {}"), "'done' is unreachable"),
        (("state: closed", "state: shut"), "must be open or closed"),
        (("target_working_days: 5", "target_working_days: 0"), "whole number from 1 to 365"),
        (("code: report-pothole", "code: Report Pothole"), "must be lower-case letters"),
        (("label: Where is it}", "label: ''}"), "label: is required"),
        (
            (
                "{name: where, type: location, label: Where is it}",
                "{name: where, type: choice, label: Which, choices: [a]}",
            ),
            "needs at least two choices",
        ),
        (
            (
                "{name: where, type: location, label: Where is it}",
                "{name: where, type: text, label: W, show_if: {question: later, equals: x}}",
            ),
            "not an earlier question",
        ),
    ],
)
def test_mistakes_are_reported_with_their_path(change, expected):
    problems = _problems(MINIMAL.replace(*change))
    assert any(expected in p for p in problems), problems


def test_every_problem_is_reported_at_once():
    text = MINIMAL.replace("lgsl: 557", "lgsl: 99999").replace("type: location", "type: nmber")
    assert len(_problems(text)) == 2


def test_not_yaml_is_a_clear_error():
    assert "not valid YAML" in _problems("services: [unclosed")[0]


def test_a_bad_file_changes_nothing(catalogue, tmp_path):
    before = Service.objects.count()
    bad = tmp_path / "catalogue.yaml"
    bad.write_text(MINIMAL.replace("lgsl: 557", "lgsl: 99999"), encoding="utf-8")
    with pytest.raises(CommandError, match="was not loaded"):
        call_command("load_catalogue", str(bad))
    assert Service.objects.count() == before
    assert Service.objects.filter(active=True).count() == before


def test_services_that_leave_the_file_are_retired_not_deleted(catalogue, tmp_path, make_case):
    case = make_case("missed-bin")
    small = tmp_path / "catalogue.yaml"
    small.write_text(MINIMAL, encoding="utf-8")
    counts = load_catalogue(small)
    assert counts["services"] == 1
    missed_bin = Service.objects.get(code="missed-bin")
    assert not missed_bin.active
    case.refresh_from_db()
    assert case.service == missed_bin
    load_catalogue()  # the full demo catalogue again
    assert Service.objects.get(code="missed-bin").active


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            (
                "      - {code: done, label: Done, state: closed}",
                "      - {code: done, label: Done, state: closed, after_days: 3}",
            ),
            "after_days and move_to go together",
        ),
        (
            (
                "      - {code: done, label: Done, state: closed}",
                "      - {code: done, label: Done, state: closed, after_days: 3, move_to: limbo}",
            ),
            "unknown status 'limbo'",
        ),
        (
            (
                "      - {code: done, label: Done, state: closed}",
                "      - {code: done, label: Done, state: closed, on_enter_template: thanks}",
            ),
            "sends template 'thanks', which this service does not define",
        ),
        (
            ("    questions:", "    templates: [{name: t, text: 'Hello {resident}'}]\n    questions:"),
            "unknown placeholders ['resident']",
        ),
        (("    questions:", "    escalation: {remind_at: 2}\n    questions:"), "between 0 and 1"),
    ],
)
def test_workflow_automation_and_templates_are_validated(change, expected):
    problems = _problems(MINIMAL.replace(*change))
    assert any(expected in p for p in problems), problems


def test_automatic_moves_make_a_status_reachable():
    text = MINIMAL.replace(
        "      - {code: done, label: Done, state: closed}",
        "      - {code: done, label: Done, state: closed}\n"
        "      - {code: waiting, label: Waiting, state: open, after_days: 3, move_to: expired}\n"
        "      - {code: expired, label: Expired, state: closed}",
    ).replace(
        "transitions: {received: [done], done: [received]}",
        "transitions: {received: [done, waiting], done: [received], waiting: [done]}",
    )
    assert parse_catalogue(text, LGSL)["workflows"]["simple"]["statuses"][3]["code"] == "expired"


@pytest.mark.django_db
def test_entering_a_status_can_send_a_response_template(make_case, highways_officer):
    from django.core import mail

    from residenthub.cases import actions

    case = make_case(name="Siân Evans")
    service = case.service
    workflow = dict(service.workflow_definition)
    workflow["statuses"] = [
        dict(s, on_enter_template="inspected") if s["code"] == "in_progress" else s
        for s in workflow["statuses"]
    ]
    Service.objects.filter(pk=service.pk).update(workflow_definition=workflow)
    case = type(case).objects.get(pk=case.pk)
    mail.outbox.clear()
    with_template = actions.transition(case, "in_progress", by=highways_officer)
    event = with_template.events.last()
    assert "Dear Siân Evans" in event.text and case.reference in event.text
