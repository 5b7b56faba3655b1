"""Misheard words read against what the clerk knows before the meeting (ADR 0164)."""

import datetime as dt
from types import SimpleNamespace

import numpy as np

from residenthub.minutes import drafting, vocabulary

PEOPLE = drafting.parse_attendees(
    "Councillor Jane Holloway, chair\nCouncillor Peter Okafor\nCouncillor Ruth Shore\n"
    "Councillor Priya Natarajan\nSarah Whitfield, officer, Head of Digital"
)
AGENDA = ["Housing Repairs Performance", "Damp and Mould Plan"]
VOCAB = vocabulary.for_meeting(PEOPLE, AGENDA)


def test_a_name_the_recogniser_split_or_misspelt_is_read_as_the_attendee():
    assert vocabulary.correct("Councillor Hollow Way asked a question.", VOCAB) == (
        "Councillor Holloway asked a question."
    )
    assert vocabulary.correct("Thank you, Councillor Okafur.", VOCAB) == "Thank you, Councillor Okafor."
    # A possessive keeps its "'s".
    assert vocabulary.correct("To Councillor Natarajon's question.", VOCAB) == (
        "To Councillor Natarajan's question."
    )


def test_real_words_near_a_name_or_a_term_are_not_corrected():
    for text in (
        "I am not sure about the costs.",  # "sure" is near "Shore": a real word is taken as meant
        "There is a hollow in the road by the estate.",  # "hollow" near "Holloway"
        "Why are missed collections still high on the states in the north?",
        "Are there any declaration of interest?",  # not "declarations interest"
        "The discussion revolved around the cost of temporary accommodation.",
        "It was agreed at the last meeting that the review would wait.",
        # A verb and a word are not the noun they make (written blind, ADR 0177).
        "Are we all happy to recommend to full council that we keep it?",
        "Our recommendation is that the committee recommends to full council that it is retained.",
    ):
        assert vocabulary.correct(text, VOCAB) == text


def test_the_plural_of_an_everyday_word_is_taken_as_meant():
    licensing = vocabulary.for_meeting(PEOPLE, ["Taxi and Private Hire Licensing Policy"])
    text = "We've granted nine new premises licences in the area."
    assert vocabulary.correct(text, licensing) == text


def test_words_of_minutes_and_the_resolution_shape_are_restored():
    assert (
        vocabulary.correct("The recovery actions be enlaused.", VOCAB) == "The recovery actions be endorsed."
    )
    assert (
        vocabulary.correct("Resolved at the report be noted.", VOCAB) == "Resolved that the report be noted."
    )
    assert vocabulary.correct("The committee agreed, at the plan be endorsed.", VOCAB) == (
        "The committee agreed, that the plan be endorsed."
    )


def test_changed_segments_keep_what_was_heard():
    segments = [
        {"start": 0.0, "end": 4.0, "speaker": "A", "text": "Over to Councillor Hollow Way."},
        {"start": 4.0, "end": 8.0, "speaker": "B", "text": "Thank you, chair."},
    ]
    out = vocabulary.correct_segments(segments, VOCAB)
    assert out[0]["text"] == "Over to Councillor Holloway." and out[0]["heard"] == segments[0]["text"]
    assert "heard" not in out[1] and out[1] == segments[1]
    assert "heard" not in segments[0]  # the caller's list is left as it was


def test_an_action_and_a_resolution_with_a_misheard_cue_are_both_found():
    """Room noise: "Resolved that" heard as "remote at", run into the action before it."""
    text = (
        "Sarah Whitfield undertook to prepare the breakdown by ward by next Friday, remote at the "
        "damp and mould plan be noted. At what carried with four votes in paper and two against?"
    )
    segments = [{"start": 0.0, "end": 20.0, "speaker": "", "text": text}]
    item = drafting.draft(segments, ["Damp and Mould Plan"], PEOPLE, meeting_date=dt.date(2027, 2, 10)).items[
        0
    ]
    # The misheard vote (its question mark is the recogniser's) is no second resolution.
    assert [d.text for d in item.decisions] == ["RESOLVED: That the damp and mould plan be noted."]
    assert [(a.owner, a.due) for a in item.actions] == [("Sarah Whitfield", "2027-02-19")]


def test_a_comma_before_at_the_alone_is_no_new_resolution():
    segments = [
        {
            "start": 0.0,
            "end": 9.0,
            "speaker": "",
            "text": "Members met the tenants, and looked at the repairs that had been noted by officers.",
        }
    ]
    item = drafting.draft(segments, [], PEOPLE, meeting_date=dt.date(2027, 2, 10)).items[0]
    assert item.decisions == [] and item.actions == []


def test_drafting_can_work_from_the_words_as_heard():
    segments = [{"start": 0.0, "end": 5.0, "speaker": "", "text": "The recovery plan be enlaused."}]
    read = drafting.draft(segments, [], PEOPLE).items[0]
    heard = drafting.draft(segments, [], PEOPLE, correct=False).items[0]
    assert [d.text for d in read.decisions] == ["RESOLVED: That the recovery plan be endorsed."]
    assert heard.decisions == []


def test_a_re_reading_that_only_repeats_the_next_segment_is_not_kept():
    """Whisper's times drift: re-reading a span reads the start of the next segment again."""
    from residenthub.minutes.transcription import repair_skips

    audio = (0.1 * np.sin(np.arange(16000 * 40) / 5)).astype(np.float32)
    slow = {"start": 0.0, "end": 20.0, "speaker": "", "text": "Item one, waste collection. I will hand"}
    after = {"start": 20.0, "end": 24.0, "speaker": "", "text": "over to Grace Mensah for the report."}

    readings = iter(["Item one, waste collection.", "I will hand over to Grace Mensah for the report."])

    def decode(part):
        return [SimpleNamespace(start=0.0, end=9.0, text=next(readings))]

    # Nine words against seven, but six of them are the next segment's: the first reading stays.
    assert repair_skips([slow, after], audio, decode, speech=lambda gap: 0.0) == [slow, after]
