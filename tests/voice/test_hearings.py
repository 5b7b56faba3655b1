"""A call is read over more than one hearing of the caller's words (ADR 0166)."""

from __future__ import annotations

import pytest

from residenthub.speech import Segment, Transcript
from residenthub.voice import pipeline
from residenthub.voice.streaming import joined_alternatives

pytestmark = pytest.mark.django_db


def heard(text: str, *alternatives: str) -> Transcript:
    return Transcript([Segment(0.0, 2.0, text, -0.3, 0.0)], alternatives=list(alternatives))


def understand(text: str, *alternatives: str, **options):
    return pipeline.understand_text(pipeline.clean_text(text), heard(text, *alternatives), **options)


def test_an_urgent_rule_on_another_hearing_makes_the_call_urgent():
    best = "A man is lying in the rude outside the shop"
    assert not understand(best).urgent  # one hearing: nothing urgent
    call = understand(best, "A man is lying in the road outside the shop")
    assert call.urgent and call.emergency and "fallen" in [f.category for f in call.flags]


def test_a_spoken_form_is_read_on_another_hearing_too():
    best = "My mother has taken some bills and will not wake"
    call = understand(best, "My mother has taken too many pills and will not wake")
    assert call.urgent, call.flags


def test_only_the_asked_kinds_count_from_another_hearing():
    best = "I need help with my bins"
    other = "I need help with my bins, I am disabled and use a wheelchair"
    # A vulnerable caller heard only on another listen is not enough (false alarms on tune) ...
    assert not understand(best, other).urgent
    # ... unless vulnerability is asked for; an urgent rule on another hearing always is (above).
    assert understand(best, other, kinds=frozenset({"urgent", "vulnerable"})).urgent
    assert "vulnerable" not in pipeline.HEARING_KINDS


def test_typed_text_never_reads_other_hearings():
    best = "There is a smell of grass in the hallway"
    typed = pipeline.understand_text(
        best, heard(best, "There is a smell of gas in the hallway"), spoken=False
    )
    assert not typed.urgent


def test_pieces_hearings_are_joined_from_start_to_end():
    first = heard("There is a smell of grass", "There is a smell of gas", "There is a smelly grass")
    second = heard("in my kitchen.", "in the kitchen.")
    assert joined_alternatives([first, second]) == [
        "There is a smell of gas in the kitchen.",
        "There is a smelly grass in my kitchen.",
    ]
    assert joined_alternatives([heard("Yes.")]) == []


def test_hearings_asked_for_what_the_caller_needs_not_for_short_answers(monkeypatch):
    asked = []
    monkeypatch.setattr(
        pipeline, "transcribe", lambda audio, **options: asked.append(options) or Transcript()
    )
    pipeline.hear(b"", prompt="Calls to the council about: potholes.")
    pipeline.hear(b"", prompt="")
    assert (
        asked[0]["alternatives"] == pipeline.CALL_ALTERNATIVES and asked[0]["rehear"] == pipeline.CALL_REHEAR
    )
    assert "alternatives" not in asked[1] and "rehear" not in asked[1]


def test_routing_over_hearings_averages_the_services():
    best = "The bins were not collected"
    result = understand(best, "The bins were not collected on our street", route_all=True).result
    alone = understand(best, route_all=False).result
    assert result.best.code == alone.best.code
    assert all(0.0 <= s.confidence <= 1.0 for s in result.suggestions)


def test_a_flag_from_another_hearing_is_marked_possibly_heard():
    call = understand(
        "A man is lying in the rude outside the shop", "A man is lying in the road outside the shop"
    )
    from_other = [f for f in call.flag_dicts() if f["category"] == "fallen"]
    assert from_other and from_other[0]["possibly"] is True
    assert pipeline.flag_phrase(from_other[0]).startswith("possibly heard: ")
    # What the best hearing itself holds is shown as said.
    said = understand("A man is lying in the road outside the shop", "A man is lying in the rude")
    assert all("possibly" not in f for f in said.flag_dicts())
    assert pipeline.flag_phrase(said.flag_dicts()[0]) == said.flag_dicts()[0]["phrase"]


def test_the_callback_says_possibly_heard_for_another_hearings_phrase(catalogue, client):
    from residenthub.voice import actions, dialog
    from residenthub.voice.models import Call, Callback
    from tests.conftest import _staff

    call = actions.start_call(via=Call.Via.SIMULATOR)
    dialog.start(call)
    best = "A man is lying in the rude outside the shop"
    dialog.hear(call, understand(best, "A man is lying in the road outside the shop"))
    callback = Callback.objects.get(call=call)
    assert callback.rank == 0 and "possibly heard: lying in the road" in callback.detail, callback.detail
    client.force_login(_staff("cs.officer", "customer-services"))
    page = client.get(f"/voice/staff/callbacks/{callback.pk}/").content.decode()
    assert "possibly heard: “" in page
