"""The optional summary rewrite through an OpenAI-compatible chat endpoint: off by default, never needed."""

import pytest

from residenthub.minutes import actions, llm
from tests.fakes.chat_completions import FakeChat


@pytest.fixture
def chat(settings):
    server = FakeChat(
        api_key="council-key", reply=lambda messages: "Members heard about the programme."
    ).start()
    settings.MINUTES_LLM_URL = server.base_url
    settings.MINUTES_LLM_API_KEY = "council-key"
    settings.MINUTES_LLM_MODEL = "council-llm"
    yield server
    server.stop()


def test_off_by_default_the_offline_draft_stands_alone(settings, drafted):
    assert settings.MINUTES_LLM_URL == ""
    assert not llm.enabled()
    assert drafted.lines.filter(kind="summary").count() > 1  # extractive lines, each with its times


def test_rewrite_through_the_councils_own_model(chat, meeting, script, clerk):
    actions.save_transcript(meeting, script.segments(), by=clerk)
    actions.build_draft(meeting, by=clerk)
    summaries = meeting.lines.filter(kind="summary")
    assert summaries.count() == len(script.agenda)  # one rewritten paragraph per item
    line = summaries.first()
    assert line.text == "Members heard about the programme."
    assert line.drafted_text and line.drafted_text != line.text  # the extractive text is kept to compare
    assert line.start is not None and line.end > line.start
    request = chat.received[0]
    assert request["model"] == "council-llm" and request["messages"][0]["role"] == "system"
    assert "Agenda item:" in request["messages"][1]["content"]
    # Decisions and actions never go through the model.
    assert meeting.lines.filter(kind="decision").first().text.startswith("RESOLVED: That")


def test_a_failing_endpoint_keeps_the_extractive_summary(chat, meeting, script, clerk):
    chat.fail_next = 100
    actions.save_transcript(meeting, script.segments(), by=clerk)
    actions.build_draft(meeting, by=clerk)
    assert meeting.lines.filter(kind="summary").count() > len(script.agenda)
    assert all(line.text == line.drafted_text for line in meeting.lines.filter(kind="summary"))


def test_a_wrong_key_is_an_error_not_a_crash(chat, settings):
    settings.MINUTES_LLM_API_KEY = "wrong"
    with pytest.raises(llm.LLMError):
        llm.rewrite("Budget", ["The council forecasts an overspend."])
    assert llm.rewrite_or_keep("Budget", ["One.", "Two."]) == ("One. Two.", False)
