"""Urgency and vulnerability rules: every category, the phrase that triggered it, the contacts."""

import csv

import pytest

from residenthub.triage import urgency
from residenthub.triage.model import TEST_FILE

EXAMPLES = [
    ("child_at_risk", "my neighbour's kids have been left alone for two days", "kids have been left alone"),
    ("child_at_risk", "I think the man next door is hitting his 6 year old", "hitting his 6 year old"),
    (
        "child_at_risk",
        "a little girl is still outside the school and nobody's come for her",
        "nobody's come for her",
    ),
    (
        "child_at_risk",
        "the lollipop man says a boy's been waiting at the gates and nobody came for him",
        "nobody came for him",
    ),
    (
        "child_at_risk",
        "someone's been left at the school gates since four and nobody has come for him",
        "nobody has come for him",
    ),
    ("adult_at_risk", "my gran's carer has been taking her money", None),
    ("adult_at_risk", "I think my elderly neighbour is being financially abused", "financially abused"),
    ("domestic_abuse", "my husband is violent and I am scared to go home", "husband is violent"),
    ("self_harm", "I can't cope and I want to end my life", "end my life"),
    ("self_harm", "I keep thinking about suicide", "suicide"),
    ("self_harm", "my brother is on the bridge and says he is going to jump", "says he is going to jump"),
    ("self_harm", "she keeps threatening to jump off the balcony", "threatening to jump off"),
    ("homeless_tonight", "I have nowhere to sleep tonight", "nowhere to sleep"),
    ("homeless_tonight", "been sleeping rough by the station for a week", "sleeping rough"),
    ("no_heating_child", "no heating in the flat and my baby is 2 months old", "no heating"),
    ("older_or_disabled", "my 89 year old dad lives alone", "89 year old"),
    ("older_or_disabled", "I am a wheelchair user", "wheelchair"),
    ("older_or_disabled", "my neighbour is 90 and can't get out", "neighbour is 90"),
    ("older_or_disabled", "she is housebound since her fall", "housebound"),
    ("older_or_disabled", "he cannot get out of the house any more", "cannot get out"),
    ("pregnancy_or_young_children", "I am 7 months pregnant and the flat is full of mould", "pregnant"),
    ("pregnancy_or_young_children", "we have two young children in a damp bedroom", "young children"),
    ("no_heating_or_water", "no water supply in our street since Monday", "no water supply"),
    ("no_heating_or_water", "the boiler has broken down again", "boiler has broken"),
    ("health_condition", "my husband is on oxygen and the lift is broken", "on oxygen"),
    ("language_barrier", "my mother does not speak English and got this letter", "does not speak English"),
    ("carer", "I am a full-time carer for my son", "full-time carer"),
    ("self_neglect", "the man upstairs has not been seen for a week and there is a smell", "not been seen"),
    ("self_neglect", "my uncle is hoarding and the flat is a fire risk", "hoarding"),
    ("threats", "the man next door threatened to stab me", "threatened"),
    ("gas", "there is a strong smell of gas on the landing", "smell of gas"),
    ("flooding", "water is pouring through the ceiling into the kitchen", "water is pouring through"),
    ("dangerous_structure", "the garden wall has collapsed onto the pavement", "collapsed"),
    ("fallen", "my mum has fallen and can't get up", "mum has fallen"),
    ("trapped", "my dad is stuck in the lift at Elm House", "stuck in the lift"),
    ("fire", "the flat below is on fire", "on fire"),
    ("medical_emergency", "my dad has chest pains and feels sick", "chest pains"),
    ("dangerous_dog", "a dog has bitten my little boy", "dog has bitten"),
    ("welfare_concern", "my gran lives alone and she's not answering the door", "she's not answering"),
]


@pytest.mark.parametrize(("category", "text", "phrase"), EXAMPLES, ids=[e[1][:30] for e in EXAMPLES])
def test_every_category_is_caught_with_its_phrase(category, text, phrase):
    flags = {f.category: f for f in urgency.find_flags(text)}
    assert category in flags
    shown = flags[category].phrase
    assert shown and shown.lower() in text.lower() or "+" in shown
    if phrase:
        assert phrase.lower() in shown.lower()


def test_a_girl_is_a_child_only_when_nobody_came_for_her():
    for text in (
        "the girl at the desk said nobody has come to fix the boiler",
        "a girl came for her parcel",
        "the bins were left outside and nobody has come for them",
    ):
        assert "child_at_risk" not in {f.category for f in urgency.find_flags(text)}, text


def test_every_rule_has_an_example():
    assert {e[0] for e in EXAMPLES} == set(urgency.CATEGORIES)


def test_no_heating_is_urgent_only_with_a_child():
    (flag,) = urgency.find_flags("the heating is not working in my flat")
    assert (flag.category, flag.kind) == ("no_heating_or_water", "vulnerable")
    flags = {f.category: f for f in urgency.find_flags("the heating is not working and my toddler is cold")}
    assert "no_heating_or_water" not in flags  # said once, by the urgent flag
    assert flags["no_heating_child"].kind == "urgent"
    phrase = flags["no_heating_child"].phrase
    assert "heating is not working" in phrase and "toddler" in phrase


@pytest.mark.parametrize(
    "text",
    [
        "the bus is 90 minutes late every day",
        "road 90 feet wide is full of holes",
        "there is no water in the pond, it is dry",
    ],
)
def test_numbers_and_words_that_only_look_vulnerable(text):
    categories = {f.category for f in urgency.find_flags(text)}
    assert "older_or_disabled" not in categories


@pytest.mark.parametrize(
    "text",
    [
        "There's a pothole on Mill Lane",
        "my bin was not collected on Tuesday",
        "I want to join the library",
        "a tree has fallen across the road",
        "how do I renew my parking permit",
    ],
)
def test_ordinary_messages_raise_no_flag(text):
    assert urgency.find_flags(text) == []


def test_recall_on_the_held_out_set_is_at_least_98_percent():
    with open(TEST_FILE, encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["flags"]]
    assert len(rows) >= 40
    caught = sum(
        set(r["flags"].split(";")) <= {f.category for f in urgency.find_flags(r["text"])} for r in rows
    )
    assert caught / len(rows) >= 0.98


def test_contacts(settings):
    settings.OUT_OF_HOURS_PHONE = "020 7946 0555"
    gas = urgency.contacts_for(urgency.find_flags("I can smell gas in the kitchen"))
    assert [c.number for c in gas][:2] == ["999", "0800 111 999"]
    homeless = urgency.contacts_for(urgency.find_flags("I have nowhere to sleep tonight"))
    assert [c.number for c in homeless] == ["020 7946 0555"]
    abuse = urgency.contacts_for(urgency.find_flags("my partner hits me"))
    assert "0808 2000 247" in [c.number for c in abuse]
    self_harm = urgency.contacts_for(urgency.find_flags("I want to kill myself"))
    assert "116 123" in [c.number for c in self_harm]


def _recall_precision(path):
    from residenthub.triage.model import REAL_DIR

    with open(REAL_DIR / path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    flagged = [bool(urgency.find_flags(r["text"])) for r in rows]
    gold = [r["vulnerable"] == "1" for r in rows]
    hits = sum(f and g for f, g in zip(flagged, gold, strict=True))
    return hits / sum(gold), hits / max(1, sum(flagged))


def test_real_messages_annotated_by_hand_keep_their_recall():
    """Regression guard on the annotated real messages (data/real/SOURCES.md): the San Diego set was
    measured blind once (recall 0.48) and the rules were then widened from its guide's categories, so
    these are development figures, not blind ones. (The fresh New York and Hoboken set this guarded
    before left after the licence review, ADR 0159.)"""
    recall, precision = _recall_precision("vulnerability_blind2.csv")
    assert recall >= 0.7 and precision >= 0.4  # 0.76 / 0.475 on 2026-11-27
    recall, precision = _recall_precision("vulnerability.csv")
    assert recall >= 0.95


@pytest.mark.parametrize(
    "text, category",
    [
        ("Peeling paint and I have a two year old child", "pregnancy_or_young_children"),
        ("loud party next door, my grandmother can't sleep", "older_or_disabled"),
        ("a woman tripped over and fell, she wasn't able to get up", "fallen"),
        ("the utility pole is structurally compromised", "dangerous_structure"),
        ("many loose bricks on the facade above the shop", "dangerous_structure"),
        ("when confronted they become very hostile", "threats"),
    ],
)
def test_real_phrasings_found_in_the_annotation(text, category):
    assert category in {f.category for f in urgency.find_flags(text)}


def test_life_threatening_road_defect_is_not_a_threat():
    flags = urgency.find_flags("this drain cover can cause life threatening accidents for cyclists")
    assert "threats" not in {f.category for f in flags}


@pytest.mark.parametrize(
    "text, category",
    [
        # Phrasings written from the annotation guide's categories (issue 12), not copied from a file.
        ("a live wire is hanging across the footpath", "dangerous_structure"),
        ("the power line is down and sparking near the bus stop", "dangerous_structure"),
        ("a big branch is tangled in the power lines outside no. 4", "dangerous_structure"),
        ("a huge branch is hanging over the pavement and could fall any minute", "dangerous_structure"),
        ("a sinkhole has opened up at the junction", "dangerous_structure"),
        ("my 68 year old mother lives on her own", "older_or_disabled"),
        ("I'm a heart patient and can't get past the parked vans", "health_condition"),
        ("an old man fell on the broken kerb this morning", "fallen"),
        ("a lady tripped and has sustained some injuries to her wrist", "fallen"),
        ("a child cut her foot on the broken glass", "fallen"),
        ("a man is lying in the middle of the road", "fallen"),
        ("someone has passed out by the bins", "fallen"),
    ],
)
def test_wider_lexicon_for_hazards_injuries_and_age(text, category):
    assert category in {f.category for f in urgency.find_flags(text)}


@pytest.mark.parametrize(
    "text",
    [
        "the leaves fell in the gutter and it is blocked",
        "he fell asleep in the car with the engine running",
        "please paint the lines on the road again",
        "the street light on the corner is out",
        "the sign is hidden by the bushes",
        "the bin was 65 days late",
    ],
)
def test_wider_lexicon_keeps_ordinary_reports_unflagged(text):
    assert urgency.find_flags(text) == []


@pytest.mark.parametrize("text", ["the kids jump off the wall into the road", "we want to jump the queue"])
def test_jumping_at_play_is_not_self_harm(text):
    assert "self_harm" not in {f.category for f in urgency.find_flags(text)}


def test_nobody_coming_is_about_a_child_only_when_a_child_is_named():
    assert "child_at_risk" not in {f.category for f in urgency.find_flags("nobody has come to fix the light")}
    assert "child_at_risk" not in {f.category for f in urgency.find_flags("no one came for the bins again")}
