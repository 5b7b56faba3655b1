"""The catalogue's vocabulary: Whisper's prompt and the near-miss correction pass."""

from __future__ import annotations

import pytest

from residenthub.voice import vocabulary
from residenthub.voice.pipeline import clean_text

SERVICES = [
    ("Report a pothole", ["pothole", "road", "pavement"]),
    ("Report a street light fault", ["street light", "lamp post"]),
    ("Report fly-tipping", ["fly-tipping", "mattress"]),
    ("Report graffiti", ["graffiti"]),
    ("Council tax - apply for a discount", ["council tax", "discount"]),
    ("Apply for a Blue Badge", ["blue badge", "disabled"]),
]


@pytest.fixture
def words():
    return vocabulary.build(SERVICES)


def test_topics_come_from_service_names(words):
    assert words.topics[:3] == ("pothole", "street light fault", "fly-tipping")
    assert "Council tax" in words.topics and "Blue Badge" in words.topics
    prompt = words.prompt()
    assert prompt.startswith("Calls to the council about: pothole, street light fault")
    assert len(prompt.split()) <= vocabulary.PROMPT_MAX_WORDS + 6 + len(vocabulary.PROMPT_URGENT.split())
    assert prompt.endswith(vocabulary.PROMPT_URGENT)  # the urgent words after the catalogue (ADR 0156)


def test_safety_words_are_always_in_the_vocabulary(words):
    assert {"gas", "carbon monoxide", "disabled", "flooding"} <= set(words.terms)


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("there is a pot hole outside my house", "there is a pothole outside my house"),
        ("the street lie has been out for a week", "the street light has been out for a week"),
        ("the lamb post is flickering.", "the lamp post is flickering."),
        ("somebody left graffity on the wall", "somebody left graffiti on the wall"),
        ("there's a smell of gass and my mum is disable", "there's a smell of gas and my mum is disabled"),
    ],
)
def test_near_misses_become_catalogue_words(words, heard, meant):
    assert vocabulary.correct(heard, words) == meant


@pytest.mark.parametrize(
    "text",
    [
        "the bins weren't collected on Tuesday",
        "someone has been fly tipping again",
        "my council tax bill is wrong",
        "there is a dead rat by the door",
        "I need a blue batch for my car",  # too far from "blue badge" to guess
        "",
    ],
)
def test_correct_text_is_left_alone(words, text):
    assert vocabulary.correct(text, words) == text


@pytest.mark.parametrize(
    "text",
    [
        "please can someone ring me back about the payment",  # not "place", not "pavement"
        "the post has come off the fence in the past week",  # not "pest"
        "my neighbour left a free sofa and some stuff out",  # not "fridge", not "staff"
    ],
)
def test_english_words_heard_are_not_rewritten_onto_a_term(text):
    """ADR 0181: a word heard alone that is an English word stays as heard."""
    words = vocabulary.build(
        [
            *SERVICES,
            ("Pest control", ["pest"]),
            ("Bulky waste", ["fridge"]),
            ("Contact staff", ["staff", "place"]),
        ]
    )
    assert vocabulary.correct(text, words) == text


@pytest.mark.django_db
def test_live_catalogue_is_read_and_cached(catalogue, django_assert_num_queries):
    vocabulary.forget()
    with django_assert_num_queries(1):
        first = vocabulary.current()
        assert vocabulary.current() is first
    assert "pothole" in first.terms and "street light" in first.terms
    assert "pothole" in vocabulary.prompt()
    assert clean_text("the street lie outside number 4 Riverside, close, is out") == (
        "the street light outside number 4 Riverside Close is out"
    )
    assert clean_text("   ") == ""
    vocabulary.forget()


@pytest.mark.django_db
def test_prompt_only_while_the_caller_says_what_they_need(catalogue):
    from residenthub.voice.pipeline import prompt_for

    vocabulary.forget()
    assert "pothole" in prompt_for("problem") and "pothole" in prompt_for(None)
    assert prompt_for("confirm") == "" and prompt_for("question") == ""  # a primed "yes" was lost
    vocabulary.forget()


@pytest.mark.django_db
def test_urgency_reads_across_the_recognisers_full_stops(catalogue):
    from residenthub.voice.pipeline import understand_text

    heard = "There is water. Pouring through the ceiling onto the electrics."
    assert not understand_text(heard, spoken=False).urgent  # typed triage reads two sentences
    spoken = understand_text(heard)
    assert spoken.urgent and "flooding" in [f.category for f in spoken.flags]
    assert "distress" in [s.category for s in understand_text("Help. Please. Help.").signals]


@pytest.mark.parametrize(
    ("heard", "category"),
    [
        ("I won't want to live anymore and I have taken some pills.", "self_harm"),
        ("I don't want to leave any more and I have taken some bills.", "self_harm"),
        ("There is a thronged mail of gas coming from the empty house next door.", "gas"),
        ("The man is waving the knife outside the shop on the High Street.", "threats"),
        # ADR 0156
        ("It's a teenager of the bridge over the bypass anti-fancy going to jump.", "self_harm"),
        ("The electric cable from the pole Lantern Street cargo on the pavement.", "dangerous_structure"),
        ("The feeling of our room has come down and water in everywhere.", "dangerous_structure"),
        ("The fouling of our room has come down.", "dangerous_structure"),
        ("My granddad got out and we can't find him.", "older_or_disabled"),
        ("I'd be in sleep, in my car for a week.", "homeless_tonight"),
        # ADR 0162
        ("Man is wearing a knife outside the shop on the High Street.", "threats"),
        # A tune run with other voices (2026-11-28)
        (
            "My nan went out and we can't find her. She got out heimers and it's freezing.",
            "older_or_disabled",
        ),
        (
            "So that day I saw a lad on the bridge over the canal and they may be enjoying the jump.",
            "self_harm",
        ),
        # The helpers' callers as heard (2026-11-28, session 22)
        (
            "The traffic light box has been hit by a car and the doors open with bear wires.",
            "dangerous_structure",
        ),
        ("There's the car alive in the car park and it's right up against the block.", "fire"),
    ],
)
def test_callers_spoken_forms_raise_the_flag(catalogue, heard, category):
    """Tuning calls' mishearings (ADR 0149): read from speech they flag, typed they need not."""
    from residenthub.voice.pipeline import understand_text

    assert category in [f.category for f in understand_text(heard).flags]


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to leave any more messages, please ring me back.",
        "The male toilets at the leisure centre are blocked.",
        "He has the keys to the garage and took some boxes.",
        "The kids are going to jump in the pool and then go home.",
        "The electric cable to the lamp post was replaced last week.",
        "I have a feeling it has been fouled again.",
        "He was wearing a knitted hat.",
        "The bridge is where the kids jump into the river in summer.",
        "The kids jump over the wall by the bridge to get to the park.",
        "The old heating system makes a noise at night.",
        "We saw a bear at the wildlife park on the school trip.",
        "The car is fine now, my son is alive and well after the crash last year.",
    ],
)
def test_spoken_forms_leave_ordinary_words_alone(text):
    from residenthub.voice.pipeline import spoken_forms

    assert spoken_forms(text) == text
