"""Every model declares its personal data (or that it holds none); the schedule covers every class."""

import pytest

from residenthub.core import personal_data_registry as registry
from residenthub.retention.schedule import ScheduleError, load, parse


def test_every_model_declares_its_personal_data():
    missing = registry.undeclared()
    assert not missing, (
        "Declare these models in their app's personal_data.py (registry.declare with the record class "
        "and personal fields, or registry.no_personal_data with why): " + ", ".join(missing)
    )


def test_every_declared_class_is_in_the_schedule():
    schedule = load()
    for key in registry.by_class():
        assert schedule.get(key) is not None, key


def test_a_declaration_naming_a_missing_field_fails_loudly():
    from residenthub.cases.models import Case

    with pytest.raises(registry.DeclarationError, match="cases.Case has no field 'nickname'"):
        registry.declare(Case, record_class="case", fields=["nickname"])


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"classes": {"case": {"period": "6 yrs", "trigger": "case_closed", "action": "anonymise"}}},
            "'6 yrs' is not a period",
        ),
        (
            {"classes": {"case": {"period": "6 years", "trigger": "closed", "action": "anonymise"}}},
            "'closed' is not a trigger",
        ),
        (
            {"classes": {"case": {"period": "6 years", "trigger": "case_closed", "action": "shred"}}},
            "'shred' is not an action",
        ),
        ({"classes": {"case": {"period": "6 years", "trigger": "case_closed"}}}, "'action' is missing"),
        (
            {
                "classes": {
                    "case": {
                        "period": "permanent",
                        "trigger": "created",
                        "action": "review",
                        "erasure": "keep",
                    }
                }
            },
            "say why records kept",
        ),
        (
            {
                "classes": {
                    "case": {
                        "period": "6 years",
                        "trigger": "case_closed",
                        "action": "delete",
                        "by_service": [{"lgsl": ["x"], "period": "1 year"}],
                    }
                }
            },
            "LGSL codes are whole numbers",
        ),
        ({"nothing": 1}, "must have a 'classes:' mapping"),
    ],
)
def test_schedule_mistakes_are_named(data, message):
    with pytest.raises(ScheduleError) as info:
        parse(data, "schedule.yaml")
    assert any(message in p for p in info.value.problems), info.value.problems


def test_a_class_missing_from_the_file_is_named(tmp_path):
    path = tmp_path / "schedule.yaml"
    path.write_text(
        "classes:\n  case:\n    period: 6 years\n    trigger: case_closed\n    action: anonymise\n"
    )
    with pytest.raises(ScheduleError) as info:
        load(path)
    assert any(p.startswith("classes.triage-message: missing") for p in info.value.problems)


def test_invalid_yaml_says_where(tmp_path):
    path = tmp_path / "schedule.yaml"
    path.write_text("classes:\n  case: [unclosed\n")
    with pytest.raises(ScheduleError, match=r"line \d+: not valid YAML"):
        load(path)


def test_the_wrong_trigger_for_a_class_is_named(tmp_path):
    text = (load.__globals__["DEFAULT_FILE"]).read_text()
    path = tmp_path / "schedule.yaml"
    path.write_text(text.replace("trigger: case_closed", "trigger: call_ended", 1))
    with pytest.raises(ScheduleError, match="classes.case.trigger: 'call_ended' does not apply"):
        load(path)
