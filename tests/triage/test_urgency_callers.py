"""How callers put an emergency in their own words (ADR 0169): each rule added for them is caught,
and an ordinary message that shares its words is not."""

import pytest

from residenthub.triage import urgency


def categories(text: str) -> set[str]:
    return {f.category for f in urgency.find_flags(text)}


CAUGHT = [
    # fire and smoke
    ("there's smoke pouring out from under the door of number six", "fire"),
    ("the landing is full of smoke", "fire"),
    ("I can smell burning in the hallway and the alarm won't stop", "fire"),
    ("the tumble dryer caught fire", "fire"),
    ("the extension lead is smoking behind the sofa and the plug has melted", "fire"),
    ("the bins behind the flats are alight", "fire"),
    # medical emergencies (NHS: when to call 999)
    ("my wife has a pain in her chest and she's sweating", "medical_emergency"),
    ("my little girl is gasping for breath", "medical_emergency"),
    ("his lips are turning blue", "medical_emergency"),
    ("grandma's face has dropped and her words are slurred", "medical_emergency"),
    ("my son is having a seizure", "medical_emergency"),
    ("the baby is choking", "medical_emergency"),
    ("his tongue is swelling up after he ate a nut", "medical_emergency"),
    ("I can't wake her", "medical_emergency"),
    ("my toddler drank some bleach", "medical_emergency"),
    # self-harm and suicide said without the words "suicide" or "kill myself"
    ("I can't carry on like this", "self_harm"),
    ("I just want everything to end", "self_harm"),
    ("my kids would be better off without me", "self_harm"),
    ("I don't see the point in living", "self_harm"),
    ("I'm standing on the ledge of the car park", "self_harm"),
    ("she has taken a packet of paracetamol", "self_harm"),
    ("he keeps saying he is going to hurt himself", "self_harm"),
    # a child
    ("there's a girl about six on her own at the bus station", "child_at_risk"),
    ("they lock their children in while they go to the pub", "child_at_risk"),
    ("the little ones next door never have any food", "child_at_risk"),
    ("my nephew is being groomed by a gang", "child_at_risk"),
    ("older boys are making him sell drugs: he is forced to sell drugs for them", "child_at_risk"),
    # an adult at risk
    ("my dad has dementia and has gone missing", "adult_at_risk"),
    ("there's an elderly lady at the station who is lost and confused", "adult_at_risk"),
    ("the workers at the car wash are not allowed to leave", "adult_at_risk"),
    ("my aunt is sending all her savings to a man on the internet", "adult_at_risk"),
    # domestic abuse
    ("he took my phone and locks me in when he goes out; he locked me in again", "domestic_abuse"),
    ("I want to get away from my husband", "domestic_abuse"),
    ("if I tell anyone he'll kill me", "domestic_abuse"),
    ("we need somewhere safe for me and the kids tonight: a safe place for us", "domestic_abuse"),
    # threats and violence
    ("a man outside has got a machete", "threats"),
    ("my ex says he is going to burn the house", "threats"),
    ("someone is trying to break in", "threats"),
    ("they're kicking my door down", "threats"),
    ("someone threw a rock through my window", "threats"),
    ("he pushed me down the stairs", "threats"),
    # homelessness tonight
    ("there's a family sleeping under the bridge", "homeless_tonight"),
    ("my dad threw me out", "homeless_tonight"),
    ("the landlord changed the locks while I was at work", "homeless_tonight"),
    ("I've been sofa surfing for a month", "homeless_tonight"),
    ("we have got nowhere.", "homeless_tonight"),
    # gas
    ("the flat stinks of gas", "gas"),
    ("there's a rotten eggs smell by the meter", "gas"),
    ("the gas pipe is hissing", "gas"),
    # flooding near electrics
    ("a pipe's burst under the sink", "flooding"),
    ("water has got into the electric meter cupboard", "flooding"),
    ("water is running down the walls of the bedroom", "flooding"),
    # structures and electricity
    ("the roof of the shed has caved in", "dangerous_structure"),
    ("the crack in the wall is getting wider every day", "dangerous_structure"),
    ("I got a shock off the switch in the kitchen", "dangerous_structure"),
    ("there are wires sticking out of the lamp post", "dangerous_structure"),
    # someone fallen or collapsed
    ("my nan's fallen in the garden", "fallen"),
    ("my husband is stuck on the floor by the bed", "fallen"),
    ("my brother fainted in the shower", "fallen"),
    ("she banged her head on the kerb", "fallen"),
    ("there's a man slumped over in the bus shelter", "fallen"),
    # dangerous dog
    ("two dogs went for the postman", "dangerous_dog"),
    ("there's a vicious dog in the play area", "dangerous_dog"),
    # welfare concern
    ("my mum hasn't answered since Tuesday and she lives on her own", "welfare_concern"),
    ("the post is piling up behind his door", "welfare_concern"),
    ("nobody has seen her for a fortnight", "welfare_concern"),
    ("someone is shouting for help in the flat above", "welfare_concern"),
]


@pytest.mark.parametrize(("text", "category"), CAUGHT, ids=[c[0][:40] for c in CAUGHT])
def test_callers_words_are_caught(text, category):
    assert category in categories(text)


LOOK_ALIKES = [
    ("the fire door in the car park is broken", {"fire"}),
    ("graffiti on the fire hydrant on Elm Street", {"fire"}),
    ("can we have a bonfire in the park in November", {"fire"}),
    ("smoke coming from my neighbour's bonfire every Sunday", {"fire"}),
    ("the smoke alarm keeps chirping", {"fire"}),
    ("the fitter is fitting a new kitchen", {"medical_emergency"}),
    ("the light fitting in the hall needs a new bulb", {"medical_emergency"}),
    ("why are you not responding to my emails", {"medical_emergency", "fallen", "welfare_concern"}),
    ("nobody is answering the phone at the housing office", {"welfare_concern"}),
    ("he's not answering my texts about the party", {"welfare_concern"}),
    ("I haven't seen the bin men for two weeks", {"welfare_concern"}),
    ("my cat has gone missing", {"adult_at_risk"}),
    ("the dog fouling on the green is disgusting", {"dangerous_dog"}),
    ("my neighbour's dog barks all day", {"dangerous_dog"}),
    ("I fell behind with my council tax", {"fallen"}),
    ("the leaves have fallen and blocked the drain", {"fallen"}),
    ("a walker fell and hurt himself on the broken path", {"self_harm"}),
    ("the noise is driving me mad, I can't take it any more", {"self_harm"}),
    ("I want to end my tenancy", {"self_harm"}),
    ("there's a crack in the pavement", {"dangerous_structure"}),
    ("can I apply for free school meals for my children", {"child_at_risk"}),
    ("my water bill is too high", {"flooding"}),
    ("I want to give you a gas meter reading", {"gas"}),
    ("a car is parked on the pavement outside the school every morning", {"threats"}),
    ("my wife's carer visits every Tuesday and wants a parking permit", {"adult_at_risk"}),
    ("the boys from number four kicked their football over my hedge again", {"child_at_risk"}),
    ("the children keep hitting a ball against our garage door", {"child_at_risk"}),
]


def test_a_child_hit_or_kicked_is_still_at_risk():
    assert "child_at_risk" in categories("my neighbour's kids are being hit and kicked by their dad")
    assert "child_at_risk" in categories("a little boy was kicked by an older lad at the bus stop")


@pytest.mark.parametrize(("text", "not_these"), LOOK_ALIKES, ids=[c[0][:40] for c in LOOK_ALIKES])
def test_ordinary_messages_with_the_same_words_are_not_flagged(text, not_these):
    assert not categories(text) & not_these


def test_a_carer_who_has_not_come_marks_the_person_cared_for():
    assert "carer" in categories("my husband's carer hasn't turned up today")
    assert "carer" in categories("mum's carer has been taken ill")
    assert "carer" not in categories("the care home has new bins")


def test_new_rules_are_urgent_and_point_to_999():
    for category in ("fire", "medical_emergency", "dangerous_dog", "welfare_concern"):
        rule = urgency.RULE_BY_CATEGORY[category]
        assert rule.kind == "urgent"
        flag = urgency.Flag(category, "x", "urgent")
        assert urgency.contacts_for([flag])[0].number == "999"
