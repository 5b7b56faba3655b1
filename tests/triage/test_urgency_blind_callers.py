"""Rules added from calls written by someone who never saw them (ADR 0175): each kind is caught, said in
words of ours that are not the tuning rows', and ordinary calls that share the words are not."""

import pytest

from residenthub.triage import urgency


def categories(text: str) -> set[str]:
    return {f.category for f in urgency.find_flags(text)}


CAUGHT = [
    ("she's been stuck in the lift at Tower Court for half an hour", "trapped"),
    ("the lift stopped between the second and third floors with my dad inside", "trapped"),
    ("my son is trapped under the shed roof that came down", "trapped"),
    ("I'm inside the bin store and the door's jammed, I can't get out", "trapped"),
    ("my neighbour's ninety-two and she's been on her own all week", "older_or_disabled"),
    ("my nan is eighty seven years old", "older_or_disabled"),
    ("she can't go to the toilet on her own any more", "older_or_disabled"),
    ("he's stuck upstairs because the stairlift broke", "older_or_disabled"),
    ("my son's feeding pump has no power", "health_condition"),
    ("my husband has motor neurone disease", "health_condition"),
    ("she's run out of her insulin", "health_condition"),
    ("he's breathing funny and won't sit up", "medical_emergency"),
    ("there's blood pouring from his hand", "medical_emergency"),
    ("my flatmate is out cold on the floor", "medical_emergency"),
    ("my mate's taken something and he's really drowsy", "medical_emergency"),
    ("I've slipped in the bath and can't put any weight on my ankle", "fallen"),
    ("I'm sat on the bathroom floor and can't get back up", "fallen"),
    ("I pressed my pendant and nobody has come", "fallen"),
    ("there's smoke coming from the flat window above the shop", "fire"),
    ("the mattress in the bin store is smouldering", "fire"),
    ("a van is alight next to the garages", "fire"),
    ("there's a sulphur smell in the hallway", "gas"),
    ("the CO detector in the kitchen keeps going off", "gas"),
    ("someone's set their pit bull on the kids in the park", "dangerous_dog"),
    ("my daughter's been bitten on the arm", "dangerous_dog"),
    ("the ceiling's sagging and I'm scared it will fall on the baby", "dangerous_structure"),
    ("the garden wall is bowing out over the pavement", "dangerous_structure"),
    ("a kid cycled into the hole and fell straight in", "dangerous_structure"),
    ("the cable on the lamp post has snapped and it's fizzing", "dangerous_structure"),
    ("she says she doesn't want to wake up in the morning", "self_harm"),
    ("I can't see a way out of this", "self_harm"),
    ("he's been burning his arms with a lighter", "self_harm"),
    ("my sister wrote a note saying sorry to all of us", "self_harm"),
    ("he put his hands round my throat last night", "domestic_abuse"),
    ("she's come in with a black eye again", "domestic_abuse"),
    ("a man keeps following me home from the station", "threats"),
    ("her stepdad hits her when he's drunk", "threats"),
    ("my landlord's thrown all my things out onto the street", "homeless_tonight"),
    ("I don't know where to sleep tonight", "homeless_tonight"),
    ("my key's run out and the baby's freezing", "no_heating_child"),
    ("my gran's radiators have been off for four days", "no_heating_or_water"),
    ("the carer was meant to come at eight and nobody has come", "carer"),
    ("he's got bed sores and nobody's turning him", "adult_at_risk"),
    ("she gave her bank card to a man who said he was from the council", "adult_at_risk"),
    ("my foster son didn't come home last night", "child_at_risk"),
    ("I knocked on her door for ages and there was no answer, I'm worried", "welfare_concern"),
]


@pytest.mark.parametrize(("text", "category"), CAUGHT)
def test_blind_callers_words_are_caught(text, category):
    assert category in categories(text)


NOT_URGENT = [
    "I have trapped wind and want to know the GP's number",
    "I can't get out of my phone contract, can the council help",
    "the lift in our block needs its annual service",
    "I want to apply for a smoke alarm to be fitted",
    "the cable TV box in the community room isn't working",
    "how do I give away an old sofa",
    "I'd like a new key for the bin store",
    "the floor tiles in the bathroom are cracked",
    "my postcode is wrong on the council tax bill",
]


@pytest.mark.parametrize("text", NOT_URGENT)
def test_ordinary_calls_sharing_the_words_are_not_urgent(text):
    assert not urgency.is_urgent(urgency.find_flags(text)), urgency.find_flags(text)
