"""The offline drafting pipeline on text: alignment, resolutions, votes, actions, owners, due dates."""

import datetime as dt
from pathlib import Path

import pytest

from residenthub.minutes import drafting, scripted

from .conftest import timed_segments

SEED = (
    Path(__file__).resolve().parents[3] / "shared" / "seeds" / "committee-minutes-digital-transformation.txt"
)


@pytest.mark.parametrize("seed", range(6))
def test_scripted_meetings_give_every_resolution_and_action_under_its_item(seed):
    script = scripted.meeting(seed, items=4)
    result = drafting.draft(
        timed_segments(script),
        script.agenda,
        drafting.parse_attendees(script.attendees_text()),
        meeting_date=script.date,
    )
    for truth in script.decisions:
        assert [d.text for d in result.items[truth["item"]].decisions] == [truth["text"]]
    for truth in script.actions:
        found = result.items[truth["item"]].actions
        assert [(a.owner, a.due) for a in found] == [(truth["owner"], truth["due"])]
    # Every line is linked to the transcript time it came from.
    for item in result.items:
        for line in [*item.summary, *item.decisions, *item.actions]:
            assert line.end > line.start >= 0
        assert item.summary, f"no summary for {item.title}"


def test_the_seed_minutes_own_resolution_is_found_despite_its_typo():
    text = (
        SEED.read_text(encoding="utf-8") if SEED.exists() else "Minutes:\nRESVOLED: That the update be noted."
    )
    result = drafting.draft(drafting.text_as_segments(text), [], [])
    decisions = [d.text for item in result.items for d in item.decisions]
    assert decisions[-1].startswith("RESOLVED: That the update")
    assert decisions[-1].endswith("be noted.")


@pytest.mark.parametrize(
    ("spoken", "vote"),
    [
        ("The vote was 7 in favour, 2 against and 1 abstentions.", "For 7, against 2, abstentions 1"),
        ("That was carried with five votes in favour and one against.", "For 5, against 1"),
        ("That was agreed unanimously.", "Unanimous"),
        ("The report be approved for implementation from April.", ""),
    ],
)
def test_votes(spoken, vote):
    assert drafting.find_vote(spoken) == vote


@pytest.mark.parametrize(
    ("spoken", "due"),
    [
        ("Sarah to circulate the note by 13 April 2026.", "2026-04-13"),
        ("Tom will report back by the end of May.", "2026-05-31"),
        ("Grace to send it within two weeks.", "2026-03-16"),
        ("An update for the next meeting.", "2026-03-30"),
        ("Send it on 3 January.", "2027-01-03"),  # a date already past means next year
        ("Report back by the twenty-first of May.", "2026-05-21"),
        ("By the first of April, 2026.", "2026-04-01"),
        ("No date here.", ""),
    ],
)
def test_due_dates(spoken, due):
    assert drafting.find_due(spoken, dt.date(2026, 3, 2)) == due


def test_owner_is_the_attendee_who_is_to_act_not_the_one_mentioned():
    people = [
        drafting.Attendee("Councillor Amina Shah"),
        drafting.Attendee("Sarah Whitfield", "officer", "Head of Digital"),
    ]
    text = "Whitfield to send Councillor Shah the breakdown by ward."
    assert drafting.find_owner(text, people) == "Sarah Whitfield"
    assert drafting.find_owner("The Head of Digital will circulate it.", people) == "Sarah Whitfield"
    assert drafting.find_owner("I will circulate it by Friday.", people, speaker="Amina Shah") == "Amina Shah"


def test_announced_items_fix_the_boundaries_even_when_words_overlap():
    script = scripted.meeting(1, items=5)
    sentences = drafting.split_sentences(timed_segments(script))
    assigned = drafting.align(sentences, script.agenda)
    assert assigned == sorted(assigned), "items only move forward"
    for index, title in enumerate(script.agenda):
        announce = next(i for i, s in enumerate(sentences) if s.text.startswith(f"Item {index + 1},"))
        assert assigned[announce] == index, title


def test_a_recording_that_starts_at_the_first_item_call_is_drafted_under_that_item():
    """Found while writing ADR 0174's tests: a transcript whose first sentence is "Item 1, ..." (the
    recording started late, or the opening was cut) put every sentence before the first item, and the
    draft had no resolutions at all."""
    script = scripted.meeting(1, items=3)
    segments = timed_segments(script)
    first_call = next(i for i, s in enumerate(segments) if s["text"].startswith("Item 1,"))
    late = segments[first_call:]
    sentences = drafting.split_sentences(late)
    assert sentences[0].text.startswith("Item 1,")
    assert drafting.align(sentences, script.agenda)[0] == 0
    result = drafting.draft(late, script.agenda, drafting.parse_attendees(script.attendees_text()))
    assert [len(item.decisions) for item in result.items] == [
        sum(d["item"] == j for d in script.decisions) for j in range(len(script.agenda))
    ]


def test_a_mismatched_agenda_is_reported():
    script = scripted.meeting(2, items=3)
    wrong = ["Cemetery fees", "Allotment waiting lists", "Twinning arrangements with Lille"]
    result = drafting.draft(timed_segments(script), wrong, [])
    assert any("does not match the recording" in w for w in result.warnings)


def test_an_empty_transcript_says_so():
    result = drafting.draft([], ["Budget"], [])
    assert result.warnings == ["The transcript has no words in it: there is nothing to draft from."]
    assert result.items[0].decisions == [] and result.items[0].actions == []


def test_attendees_with_roles_titles_and_apologies():
    people = drafting.parse_attendees(
        "Cllr Jane Holloway, chair\n- Sam Patel, officer, Head of Digital, sam.patel@council.example\n"
        "Tom Lee, Chief Executive\nApologies:\nCllr Peter Okafor, member"
    )
    assert people[1].email == "sam.patel@council.example"
    assert [(p.name, p.role, p.title, p.present) for p in people] == [
        ("Cllr Jane Holloway", "chair", "", True),
        ("Sam Patel", "officer", "Head of Digital", True),
        ("Tom Lee", "officer", "Chief Executive", True),
        ("Cllr Peter Okafor", "member", "", False),
    ]


def test_text_over_near_silence_and_loops_are_dropped():
    import numpy as np

    from residenthub.minutes.transcription import drop_hallucinations, drop_quiet

    audio = np.zeros(16000 * 30, dtype=np.float32)
    audio[: 16000 * 10] = 0.1 * np.sin(np.arange(16000 * 10) / 5)  # ten seconds of "speech"
    audio[16000 * 10 :] = 0.001  # then twenty of room tone
    segments = [
        {"start": 0.0, "end": 5.0, "text": "Item one."},
        {"start": 5.0, "end": 10.0, "text": "Item two."},
        {"start": 15.0, "end": 20.0, "text": "Thank you."},
    ]
    assert [s["text"] for s in drop_quiet(segments, audio)] == ["Item one.", "Item two."]
    looped = [{"text": "Thank you."}, {"text": "thank you"}, {"text": "you " * 12}, {"text": "Next item."}]
    assert [s["text"] for s in drop_hallucinations(looped)] == ["Thank you.", "Next item."]


def test_a_long_segment_with_few_words_is_decoded_again():
    """Whisper sometimes keeps only a window's last sentence; the skipped speech is read again."""
    from types import SimpleNamespace

    import numpy as np

    from residenthub.minutes.transcription import repair_skips

    audio = (0.1 * np.sin(np.arange(16000 * 40) / 5)).astype(np.float32)
    skipped = {"start": 5.0, "end": 35.0, "speaker": "", "text": "The council is forecasting an overspend."}
    fine = {"start": 0.0, "end": 5.0, "speaker": "", "text": "Item two, budget monitoring, quarter two."}
    calls = []

    def decode(part):
        seconds = len(part) / 16000
        calls.append(seconds)
        if len(calls) == 1:
            return [
                SimpleNamespace(
                    start=0.0, end=seconds, text="Resolved that the revised library hours be approved."
                )
            ]
        return [SimpleNamespace(start=0.5, end=seconds, text="The council is forecasting an overspend.")]

    repaired = repair_skips([fine, skipped], audio, decode)
    # Only the suspicious segment is decoded again, in two halves (the same window again would
    # give the same skip).
    assert len(calls) == 2 and abs(sum(calls) - 30.0) < 0.01
    assert [s["text"] for s in repaired][1] == "Resolved that the revised library hours be approved."
    assert repaired[1]["start"] == 5.0 and 5.0 < repaired[-1]["end"] <= 35.0
    assert [s["start"] for s in repaired] == sorted(s["start"] for s in repaired)
    # A second reading with no more words keeps the first.
    assert repair_skips(
        [skipped], audio, lambda part: [SimpleNamespace(start=0, end=30, text="Overspend.")]
    ) == [skipped]


def test_skipped_speech_left_as_a_gap_is_decoded_again_but_silence_is_not():
    """Whisper can squeeze a segment's times and leave the speech it skipped as a gap."""
    from types import SimpleNamespace

    import numpy as np

    from residenthub.minutes.transcription import repair_skips, speech_seconds

    audio = (0.1 * np.sin(np.arange(16000 * 38) / 5)).astype(np.float32)
    squeezed = {
        "start": 0.0,
        "end": 6.0,
        "speaker": "",
        "text": "The consultation received more than two thousand responses from residents this year.",
    }
    after = {"start": 30.0, "end": 36.0, "speaker": "", "text": "Moving on, item three, digital update."}
    calls = []

    def decode(part):
        calls.append(len(part) / 16000)
        said = "Resolved that the report be noted and the recovery actions be endorsed."
        return [SimpleNamespace(start=0.0, end=len(part) / 16000, text=said)]

    repaired = repair_skips([squeezed, after], audio, decode, speech=lambda gap: len(gap) / 16000)
    # The segment and the 22-second gap after it are read again, in two halves; the last segment
    # (two seconds before the end) is left alone.
    assert abs(sum(calls) - 30.0) < 0.01 and len(calls) == 2
    assert [s["text"] for s in repaired][-1] == after["text"] and len(repaired) == 3
    # A gap with no speech in it (VAD) changes nothing.
    assert repair_skips([squeezed, after], audio, decode, speech=lambda gap: 0.0) == [squeezed, after]
    # Near-silence is never handed to the VAD: no speech in it.
    assert speech_seconds(np.full(16000 * 20, 0.001, dtype=np.float32)) == 0.0


PEOPLE = drafting.parse_attendees(
    "Cllr Jane Holloway, chair\nCllr Amina Shah, member\nGrace Mensah, officer, Head of Parking\n"
    "Tom Reynolds, officer\nSarah Whitfield, officer"
)


def _asr(text, date=dt.date(2028, 2, 3)):
    """Draft one unpunctuated stretch of speech, as a recogniser writes it, under one agenda item."""
    text = (
        "Good evening. Item 1, Budget Monitoring. I will hand over to Tom Reynolds. The budget is "
        f"overspent. {text} Moving on, Item 2, Library Hours. The library is open on Sundays."
    )
    return drafting.draft(
        [{"start": 0.0, "end": 30.0, "speaker": "SPEAKER_1", "text": text}],
        ["Budget Monitoring", "Library Hours"],
        PEOPLE,
        meeting_date=date,
    ).items[0]


def test_an_action_and_a_resolution_run_together_are_both_found():
    item = _asr(
        "Tom Reynolds will provide a summary of the costs to the committee by the end of April, so the "
        "Committee resolved that the budget monitoring report be noted Thank You Moving On"
    )
    assert [(a.owner, a.due) for a in item.actions] == [("Tom Reynolds", "2028-04-30")]
    assert [d.text for d in item.decisions] == ["RESOLVED: That the budget monitoring report be noted."]
    assert item.actions[0].end <= item.decisions[0].start


def test_a_resolution_with_its_own_preamble_is_not_cut():
    sentences = drafting.split_sentences(
        [
            {
                "start": 0,
                "end": 9,
                "text": "On being put to the vote, it was resolved that the report be noted.",
            }
        ]
    )
    assert len(sentences) == 1


@pytest.mark.parametrize(
    ("spoken", "resolution"),
    [
        ("Revolved at the recommendations of the review be approved.", "the recommendations of the review"),
        ("So the committee resolved at the report be noted.", "the report be noted"),
    ],
)
def test_a_misheard_resolved_that_is_still_a_resolution(spoken, resolution):
    assert [d.text for d in _asr(spoken).decisions] == [
        f"RESOLVED: That {resolution}" + ("." if resolution.endswith("noted") else " be approved.")
    ]


def test_the_discussion_revolved_around_is_not_a_resolution():
    assert _asr("The discussion revolved around the cost of temporary accommodation.").decisions == []


def test_action_with_a_comma_for_a_colon():
    item = _asr("Action, Sarah Whitfield report back on the breakdown by ward by 27 March 2028.")
    assert [(a.owner, a.due) for a in item.actions] == [("Sarah Whitfield", "2028-03-27")]


@pytest.mark.parametrize(
    ("spoken", "due"),
    [
        ("by 27 March 2021", "2028-03-27"),  # a misheard year: same day, after the meeting
        ("by 28 January 2020", "2029-01-28"),  # the same day this year is past: next year
        ("by 20 January 2028", "2028-01-20"),  # two weeks before: left for the officer to see
        ("by 29 February 2020", "2028-02-29"),  # a leap day in a leap year
    ],
)
def test_a_due_date_years_before_the_meeting_is_a_misheard_year(spoken, due):
    assert drafting.find_due(f"Tom Reynolds to circulate the note {spoken}.", dt.date(2028, 2, 3)) == due


@pytest.mark.parametrize(
    ("spoken", "owner"),
    [
        ("Grace Mensa will send the figures to members by 10 March.", "Grace Mensah"),
        ("Tom Reynold to circulate the figures by 10 March.", "Tom Reynolds"),
        ("Members asked that Whitfeld circulate the list by 10 March.", "Sarah Whitfield"),
        ("I shall circulate the figures by 10 March.", "SPEAKER_1"),  # not Cllr Amina Shah
    ],
)
def test_a_misheard_owner_name_is_matched_to_the_attendance_list(spoken, owner):
    assert drafting.find_owner(spoken, PEOPLE, "SPEAKER_1") == owner
