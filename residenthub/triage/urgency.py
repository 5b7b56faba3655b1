"""Urgency and vulnerability flags: explainable rules tuned for recall.

Each rule is a handful of regular expressions; a flag carries the exact phrase that triggered it,
so staff and residents can see why. The rules run on the resident's own words (and on the English
translation when there is one). False alarms are cheap (a case raised to urgent that a person
lowers); a missed child at risk is not, so the patterns lean towards catching too much.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Words for a child; "12 year old" counts when under 18.
CHILD = (
    r"(?:kids?|child(?:ren)?|chlid|babies|baby|babys|toddlers?|infants?|newborn|little (?:boy|girl|one)s?|"
    r"(?:[1-9]|1[0-7])[ -](?:years?|yrs?)[ -]old|(?:\d{1,2})[ -](?:months?|weeks?)[ -]old|"
    r"teen(?:ager)?s?|young (?:boy|girl|person|people)|(?:my|his|her|their) (?:son|daughter)s?|pregnant)"
)
PERSON = (
    r"(?:mum|mom|mother|dad|father|nan|nana|gran|granny|grandma|grandmother|grandad|grandpa|grandfather|"
    r"husband|wife|partner|neighbour|neighbor|he|she|someone|somebody|man|woman|lady|person|child|son|"
    r"daughter|brother|sister|friend|patient|uncle|aunt|"
    r"auntie|i|i'?ve|they|resident|tenant|people|constituent|"
    r"pedestrians?|caller|kid|boy|girl)"
)
W = r"[^.!?\n]{0,%d}"  # a short gap inside one sentence
# "a boy about eight", "a little girl of five": a child by the age the caller gives.
CHILD_AGED = (
    r"(?:boy|girl|lad|child|kid|toddler)s? (?:of |about |around |aged |maybe |no more than |only )?"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[2-9]|1[0-2])(?: years? old)?"
)


@dataclass(frozen=True)
class Rule:
    category: str
    label: str
    kind: str  # "urgent" or "vulnerable"
    patterns: tuple[re.Pattern, ...]
    requires: tuple[re.Pattern, ...] = ()  # every one must also match somewhere (e.g. a child)


def _p(*patterns: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.I) for p in patterns)


RULES: tuple[Rule, ...] = (
    Rule(
        "child_at_risk",
        _("A child may be at risk"),
        "urgent",
        _p(
            # A child of an age the caller says, out alone or at night (ADR 0169).
            rf"\b{CHILD_AGED}\b{W % 60}\b(?:on (?:his|her|their) own|alone|midnight|middle of the night|"
            r"in the dark|at night)\b",
            rf"\b{CHILD}\b{W % 60}\b(?:left (?:alone|on (?:their|its|his|her) own|home alone|unattended|"
            r"by (?:them|him|her)sel(?:f|ves))|on (?:their|its|his|her) own|home alone|unattended|"
            # Not a ball: "the kids next door kicked their football against my fence" (session 23).
            r"(?:hit(?:s|ting)?|kick(?:s|ed|ing))\b(?!\s+(?:(?:a|the|their|his|her|its|my|our)\s+)?"
            r"(?:foot)?balls?\b)|beat(?:s|ing|en)?|slapp?\w*|punch\w*|scream\w*|abus\w*|"
            r"neglect\w*|touch(?:es|ed|ing)|hurt\w*|bruis\w*|wander\w*|starv\w*|locked (?:in|out)|"
            r"in danger|at risk|not safe|unsafe|groom\w*|exploit\w*|trafficked|burn(?:s|ed|t)|"
            r"(?:nobody|no one|no adult)(?:'s| has| is)? (?:come|came|coming|turned up) "
            r"(?:for|to (?:get|collect|fetch)) (?:her|him|them)|"
            r"(?:nobody|no one|no adult)(?:'s| is)? (?:with|looking after|watching) (?:her|him|them))",
            rf"\b(?:left|leaving|leaves)\b{W % 25}\b{CHILD}\b{W % 25}\b(?:alone|on (?:its|their|his|her) own|"
            r"unattended|home alone)",
            # "A girl" alone is not always a child, nor someone left outside, but nobody having come
            # to collect them is (ADR 0162).
            rf"\b(?:(?:a|the|this|that) (?:girl|boy)|(?:been )?left (?:outside|at the (?:school|gates?))|"
            rf"(?:waiting|stood|standing) (?:outside|at the (?:school|gates?)))\b{W % 60}"
            r"\b(?:nobody|no one|no adult)(?:'s| has| is)? "
            r"(?:come|came|coming|turned up) (?:for|to (?:get|collect|fetch)) (?:her|him)\b",
            r"\b(?:child|children|kids?|baby) (?:abuse|neglect|protection|sexual exploitation|cruelty)\b",
            # Shut in, or left while the adult goes out; never fed (ADR 0169).
            rf"\block(?:s|ed|ing)? (?:the|her|his|their|my) {CHILD} in\b",
            rf"\b{CHILD}\b{W % 40}\b(?:while|when) (?:she|he|they|(?:their|the) (?:mum|mother|dad|father|"
            r"parents?)) "
            r"(?:goes|go|went|is|are|'s|'re) out\b",
            rf"\b{CHILD}\b{W % 40}\b(?:(?:never|don'?t|doesn'?t|do not) (?:seem to )?(?:have|get) (?:any |"
            r"enough )?food|"
            r"(?:always|constantly) hungry|look(?:s|ing)? (?:really |very |so )?(?:thin|starved|starving|"
            r"neglected))",
            r"\b(?:she|he|they|niece|nephew|son|daughter|girl|boy|child)(?:'s| is| are|'re)? being groomed\b",
            r"\b(?:made|forced|used|groomed) to (?:sell|deliver|carry|move|run) drugs\b|\bcounty lines\b",
            r"\b(?:touch(?:es|ed|ing) (?:her|him|them) (?:inappropriately|down there)|"
            r"sexual(?:ly)? (?:abus\w*|exploit\w*|assault\w*))",
            rf"\b(?:hit(?:s|ting)?|beat(?:s|ing)?|hurt(?:s|ing)?|abus(?:es|ing)|neglect(?:s|ing)|starv\w*)\b"
            rf"{W % 20}\b{CHILD}\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\bnever (?:see|get) (?:her|him|them|my (?:son|daughter|kids?|children|baby)) (?:back|again)\b",
            r"\b(?:says?|said) (?:she|he|they) (?:can'?t|cannot|daren'?t|won'?t) go (?:back )?home\b",
            rf"\b(?:foster|looked[- ]after) (?:child|kid|son|daughter|boy|girl)\b{W % 40}"
            r"\b(?:didn'?t|did not|hasn'?t|has not|not|never) (?:come|came|gone|got) (?:back|home)\b",
        ),
    ),
    Rule(
        "adult_at_risk",
        _("An adult may be at risk of abuse or neglect"),
        "urgent",
        _p(
            r"\bfinancial(?:ly)? abus\w*|\belder(?:ly)? abuse|\bcuckoo\w*|"
            r"\btaken over (?:his|her|their|my) (?:flat|home|house)",
            rf"\bcarers?\b{W % 40}\b(?:hit\w*|abus\w*|steal\w*|stole|slap\w*|hurt\w*|rough|shout\w* at|"
            r"neglect\w*|took (?:her|his) money)",
            rf"\b(?:mum|mother|dad|father|nan|gran|grandma|grandmother|grandad|grandfather|neighbour|"
            rf"uncle|aunt|man|woman|lady|adult|brother|sister|resident)\b{W % 40}\b(?:being|been|is|was) "
            r"(?:abused|hit|beaten|neglected|exploited|robbed|taken advantage of|threatened)",
            rf"\b(?:carers?|son|daughter|nephew|niece|lodger|neighbour)\b{W % 40}"
            r"\b(?:tak\w+|took|steal\w*|stole) "
            r"(?:all )?(?:her|his|their|my) (?:money|cards?|pension|savings|benefits)",
            r"\bvulnerable (?:adult|man|woman|person|neighbour)\b",
            # Someone with dementia gone missing or lost (ADR 0169).
            r"\b(?:mum|mother|dad|father|nan|nana|gran|granny|grandma|grandmother|grandad|grandpa|"
            r"grandfather|"
            r"husband|wife|partner|uncle|aunt|brother|sister|son|daughter|neighbour|man|woman|"
            rf"lady)\b{W % 40}"
            r"\b(?:gone missing|went missing|is missing|'s missing|wander(?:ed|s|ing)? off|"
            r"(?:not|hasn'?t|has not|never) (?:come|came) (?:back|home))\b",
            r"\b(?:lost and confused|confused and lost|disorientated|disoriented)\b|"
            r"\bdoesn'?t know where (?:she|he|they) (?:lives?|is|are)\b",
            # Held, or money given away (modern slavery, financial abuse).
            r"\b(?:isn'?t|aren'?t|is not|are not|not|never) (?:allowed|let) (?:to )?(?:leave|go out)\b|"
            r"\b(?:took|taken|kept|keep|keeps|got|has|have)(?: got)? (?:her|his|their|my) passports?\b",
            r"\b(?:giving|given|gave|sending|sent|handing|handed) (?:all |most of )?(?:her|his|their) "
            r"(?:money|savings|pension)\b",
            rf"\b(?:got hold of|has|kept|keeps)\b{W % 5}\b(?:her|his|their) (?:bank )?cards?\b",
            r"\b(?:lives?|life) (?:is |are )?(?:in danger|at risk)\b",
            r"\b(?:modern )?slavery\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\b(?:bed|pressure) sores?\b",
            r"\b(?:gave|give|given|gives|giving|handed|hand) (?:her|his|their) (?:bank )?(?:cards?|pin)\b",
            r"\b(?:mum|mother|dad|father|nan|nana|gran|granny|grandma|grandmother|grandad|grandpa|grandfather|"
            r"husband|wife|partner|uncle|aunt|brother|sister|son|daughter|neighbour|man|woman|lady|kid|child|"
            rf"boy|girl)\b{W % 40}\b(?:didn'?t|did not) (?:come|came) (?:back|home)\b",
        ),
    ),
    Rule(
        "domestic_abuse",
        _("Domestic abuse"),
        "urgent",
        _p(
            r"\bdomestic (?:abuse|violence)\b",
            r"\b(?:partner|husband|wife|boyfriend|girlfriend|ex|ex-partner|ex-husband|ex-wife|fianc[ée]e?|"
            rf"stepdad|stepfather|son-in-law)\b{W % 40}\b(?:hits?|hitting|beat(?:s|ing)?|punch\w*|violent|"
            r"abus\w*|threat\w*|hurt(?:s|ing)?|attack\w*|controlling|strangl\w*|chok\w*|stalk\w*|"
            r"kill me|rape\w*)",
            r"\b(?:flee(?:ing)?|fled|escap(?:e|ing)) (?:from )?(?:my |an )?(?:abus\w*|violen\w*|partner|"
            r"husband|wife|boyfriend|domestic)",
            r"\b(?:scared|afraid|frightened) (?:to go|of going) home\b",
            r"\bcoercive control\b",
            # What control sounds like said (ADR 0169).
            r"\b(?:he|she|my (?:partner|husband|wife|boyfriend|girlfriend|ex))(?:'s| is| has)? "
            r"(?:lock(?:s|ed|ing)? me (?:in|out)|(?:took|takes|taken|smashed|smashes|broke|breaks) my phone|"
            r"won'?t let me (?:leave|go|see|out|have)|check(?:s|ing)? everything i do)",
            r"\b(?:get|getting|got|run|running) away from (?:him|her|my (?:partner|husband|wife|boyfriend|"
            r"girlfriend|ex))\b",
            r"\bif i (?:leave|go|tell)\w*,? (?:him |her |anyone )?(?:he|she|they)(?:'ll| will| would|'d) "
            r"(?:kill|hurt|find)\b",
            r"\b(?:a |somewhere )?safe (?:place|somewhere) (?:to stay |to go )?(?:for (?:me|us)|tonight)\b",
            r"\brefuge\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\b(?:hands?|arms?) (?:round|around) (?:my|her|his) (?:neck|throat)\b",
            r"\bblack eye\b",
            r"\b(?:scared|afraid|frightened) to (?:leave|go out of) (?:the|her|his|my|our) (?:flat|house|"
            r"home)\b",
        ),
    ),
    Rule(
        "self_harm",
        _("Risk of suicide or self-harm"),
        "urgent",
        _p(
            r"\bsuicid\w*",
            r"\bkill(?:ing)? (?:my|him|her|them)sel(?:f|ves)\b",
            r"\bend(?:ing)? (?:it all|my life|my own life|it)\b",
            r"\btake my (?:own )?life\b",
            r"\b(?:don'?t|do not|no longer) want to (?:be alive|live|be here|go on)\b",
            r"\bno (?:reason|point) (?:to|in) (?:live|living|going on)\b",
            r"\bself[- ]?harm\w*",
            r"\bcut(?:ting|s)? (?:my|him|her|them)sel(?:f|ves)\b",
            r"\boverdos\w*",
            r"\bbetter off dead\b",
            r"\bwant(?:s)? to die\b",
            r"\bharm(?:ing)? (?:my|him|her)self\b",
            # Hurting oneself on purpose, not by a fall (ADR 0169).
            r"\b(?:going|gonna|wants?|threaten\w*|trying|tried|try) to (?:hurt|harm) (?:my|him|her|"
            r"them)sel(?:f|ves)\b",
            # Said without the words above (ADR 0169).
            r"\bcan'?t (?:go on|carry on|keep going)(?: like this)?(?: any ?more)?(?=\s*(?:$|[.,!?]|and\b|"
            r"i\b))",
            r"\bwant (?:it all|everything|it) to (?:stop|end)\b|\bend(?:ing)? (?:things|everything)\b",
            r"\bbetter off without me\b|\bno point (?:in )?(?:any ?more|carrying on|going on|living|"
            r"being here)\b",
            r"\b(?:don'?t|do not|can'?t) see (?:the|any) point (?:in|of) (?:carrying on|going on|living|"
            r"anything|being here)\b",
            r"\bcutting (?:her|his|my|their) (?:arms?|wrists?|legs?)\b|\bsuicide note\b|"
            r"\b(?:left|leaving|wrote|written) (?:a )?notes? saying goodbye\b",
            r"\bnever wake up\b|\bi'?m (?:stood|standing|sitting) on (?:the|a) (?:edge|ledge|bridge|roof|"
            r"railings?)\b",
            r"\b(?:taken|took|swallowed|had) (?:a load of|loads of|a lot of|too many|all (?:my|her|his|the)|"
            r"a (?:whole )?(?:bottle|packet|box|handful) of|too much of (?:my|her|his)) ?(?:pills|tablets|"
            r"medication|meds|paracetamol)\b",
            r"\bsays? (?:he|she|they)(?:'s| is| are| will|'ll)? (?:going to )?jump\b",
            # A threat to jump, with where from or said at the end of a clause (callers' words often
            # lose the "off the bridge", ADR 0156).
            r"\b(?:going|gonna|threaten\w*|wants?|about) to jump(?: (?:off|from|in front|out of)\b|"
            r"(?=\s*(?:$|[.,!?])))",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\bbetter off (?:not (?:here|around|alive|being here)|gone)\b",
            r"\b(?:don'?t|doesn'?t|do not|does not|didn'?t) want to wake up\b",
            r"\b(?:don'?t|do not|can'?t|cannot) see (?:the |any )?point (?:any ?more|in anything)\b",
            r"\bcan'?t see (?:a|any) way (?:out|through|forward)\b",
            r"\bhurting (?:my|him|her|them)sel(?:f|ves)\b|\bburning (?:her|his|my|their) (?:arms?|legs?|"
            r"skin)\b",
            r"\b(?:written|wrote|left|writing) (?:a |me a )?(?:letter|note) saying (?:sorry|goodbye)\b",
            r"\bgiv(?:en|ing|e) away (?:all )?(?:her|his|my|their) (?:things|stuff|belongings|cat|dog|"
            r"pets?)\b",
        ),
    ),
    Rule(
        "homeless_tonight",
        _("Homeless tonight or sleeping rough"),
        "urgent",
        _p(
            r"\bsleep(?:ing|s)? rough\b|\brough sleep\w*",
            r"\bnowhere (?:to|for (?:me|us) to) (?:sleep|stay|go|live)\b",
            r"\bon the streets? (?:tonight|today|now)\b",
            rf"\b(?:homeless|kicked out|thrown out|locked out|evicted|made to leave)\b{W % 30}"
            r"\b(?:tonight|today|right now|this evening)\b",
            r"\b(?:sleeping|living|slept) (?:in|on) (?:the|a|my|our) (?:park|car|van|doorway|street|"
            r"station|bus|bench|stairwell|tent|night bus)",
            r"\bsleeping in (?:the )?doorways?\b",
            r"\b(?:sleeping|sleeps|slept) (?:outside|outdoors|"
            r"out) in (?:the )?(?:cold|snow|rain|freezing|-?\d+ degrees)",
            r"\b(?:street|streets) tonight\b",
            # (ADR 0169)
            r"\b(?:sleeping|asleep|slept|sleeps|kipping) (?:in|on|under) (?:the|a) (?:bridge|bus shelter|"
            r"shelter|"
            r"underpass|subway|church steps|steps|stairs|bench|park|car park|field|woods)\b",
            r"\b(?:spent|spend|spending) the night (?:on|in|at|under) (?:a|the) (?:bench|street|station|"
            r"park|car|"
            r"bus|doorway|bridge)",
            r"\b(?:kicked|thrown|chucked|threw|put|turfed) (?:me|us) out\b|\bchanged the locks\b",
            r"\bsofa[- ]?surf\w*|\bnobody (?:can|will|could) put (?:me|us) up\b",
            r"\b(?:got|have|with) nowhere(?=\s*(?:$|[.,!?]|tonight\b|now\b))",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\b(?:chucked|thrown|threw|put|kicked|turfed) (?:all )?(?:my|our) (?:stuff|things|belongings|"
            r"bags)"
            r"(?: out)?\b",
            r"\b(?:don'?t|do not) (?:know|have) (?:where|anywhere) to (?:go|sleep|stay)\b",
            r"\b(?:sleep|slept|sleeping) (?:in|on) (?:the|a) (?:park|street|car|station|bench)\b",
        ),
    ),
    Rule(
        "no_heating_child",
        _("No heating or water with a child in the home"),
        "urgent",
        _p(
            r"\bno (?:heating|hot water|running water|water|heat|gas|electric(?:ity|s)?)\b",
            rf"\b(?:heating|boiler|hot water|radiators?|water)\b{W % 30}"
            r"\b(?:broken|not working|isn'?t working|stopped|gone off|packed up|broke down|broken down|"
            r"off|cut off|died|failed)",
            r"\b(?:boiler|heating)'?s? (?:broken|broke|not working|died|gone)",
            r"\bfreezing\b",
            r"\b(?:electric|gas|meter|key|card)(?:'s| has| have)? (?:run|ran|gone) out\b|\bno (?:credit|"
            r"money) (?:on|for) the (?:meter|key|electric|gas)\b",
        ),
        requires=_p(rf"\b{CHILD}\b"),
    ),
    Rule(
        "older_or_disabled",
        _("Older, disabled or housebound person"),
        "vulnerable",
        _p(
            r"\b(?:elderly|pensioners?|senior citizens?|old age|"
            r"o(?:ld|lder) (?:person|people|man|men|woman|women|"
            r"lady|ladies|gentleman|neighbou?r|couple|parents?|mum|mother|dad|father)|"
            r"(?:6[5-9]|[7-9]\d|1[01]\d)[ -]?(?:years?|yrs?)[ -]?old|aged (?:6[5-9]|[7-9]\d|1[01]\d)|"
            r"(?:i'?m|i am|(?:she|he|who|they|neighbou?rs?|mum|"
            r"mom|mother|dad|father|nan|nana|gran|granny|grandma|"
            r"grandmother|grandad|grandpa|grandfather|husband|"
            r"wife|aunt|auntie|uncle|tenant|resident|parents?) "
            r"(?:is|are)|(?:she|he|who)'s) (?:over |nearly |almost )?(?:[7-9]\d|1[01]\d)\b"
            r"(?!\s*(?:minutes?|mins?|hours?|days?|weeks?|%|percent|"
            r"pounds?|metres?|meters?|m\b|kg|mph|degrees?))|"
            r"disabled|disabilit\w*|handicapped|wheel ?chairs?|dementia|"
            r"alzheimer'?s?|blind|partially sighted|deaf|housebound|"
            r"house[- ]bound|bed[- ]?bound|bed[- ]?ridden|frail|"
            r"mobility (?:scooter|problems?|issues?)|walking (?:frame|stick)|"
            r"zimmer|crutches|terminally ill|learning difficult\w*|learning disabilit\w*|autis\w*|"
            r"parkinson'?s|stroke)\b",
            r"\b(?:my|our) (?:elderly |old )?"
            r"(?:grandmother|grandfather|grandma|grandpa|granny|nan|nana|gran)\b",
            r"\b(?:can'?t|cannot|can not|unable to|not able to|too (?:weak|frail|ill) to) "
            r"(?:get|go|walk|step) (?:out(?:side)?|outdoors|down the stairs|to the shops)\b",
            r"\b(?:can'?t|cannot|unable to) (?:leave|get out of) (?:the|"
            r"her|his|my|their|our) (?:house|home|flat|bed)\b",
            r"\bstuck (?:indoors|inside|at home|in (?:the|her|his|my) (?:flat|house|home))\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"(?:'s|\bi'?m|\bi am|\bis|\baged) (?:over |nearly |almost )?"
            r"(?:seventy|eighty|ninety|a hundred)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?\b",
            r"\b(?:seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
            r"[- ]years?[- ]old\b",
            r"\b(?:she|he|they)(?:'s| is|'re| are) (?:very |really |so |quite |a bit )?confused\b|\bvery"
            r" old\b",
            r"\b(?:can'?t|cannot|can not|unable to) (?:eat|wash|dress|go (?:to )?(?:the )?toilet|get to the "
            r"toilet)(?: (?:alone|on (?:her|his|their|my) own|by (?:her|him|my)self))?\b",
            r"\bstuck (?:upstairs|downstairs|in (?:bed|the bath|(?:her|his|my) chair))\b",
        ),
    ),
    Rule(
        "pregnancy_or_young_children",
        _("Pregnancy or young children"),
        "vulnerable",
        _p(
            r"\b(?:pregnan\w*|expecting a baby|new[- ]?born|babies|baby|babys|toddlers?|infants?|"
            r"(?:[1-9]|1[0-2])[ -](?:months?|weeks?)[ -]old|(?:[1-9]|1[0-2])[ -](?:years?|yrs?)[ -]old|"
            r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[ -](?:months?|weeks?|years?)"
            r"[ -]old|"
            r"(?:young|small|little) (?:kids|children|child|ones|boy|girl)|my (?:kids|children))\b",
        ),
    ),
    Rule(
        "no_heating_or_water",
        _("No heating, water or power at home"),
        "vulnerable",
        _p(
            r"\bno (?:heating|hot water|running water|drinking water|water supply|water|heat|gas supply|"
            r"electric(?:ity|s)?|power)\b",
            rf"\b(?:heating|boiler|hot water|radiators?|water supply)\b{W % 30}"
            r"\b(?:broken|not working|isn'?t working|stopped|gone off|packed up|broke down|broken down|"
            r"cut off|died|failed)",
            r"\b(?:boiler|heating)'?s? (?:broken|broke|not working|died|gone)",
            r"\bfreezing (?:cold )?(?:in|at) (?:the|my|our|her|his) (?:flat|house|home)\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\b(?:electric|gas|meter|key|card)(?:'s| has| have)? (?:run|ran|gone) out\b|\bno (?:credit|"
            r"money) (?:on|for) the (?:meter|key|electric|gas)\b",
            rf"\b(?:radiators?|heating|boiler)\b{W % 30}\b(?:been )?off for (?:\w+ )?(?:days|a week|weeks)\b",
        ),
    ),
    Rule(
        "health_condition",
        _("Serious illness or health condition"),
        "vulnerable",
        _p(
            r"\b(?:terminally|seriously|chronically|very) ill\b|\bcancer\b|\bchemo\w*|\bdialysis\b|"
            r"\bon oxygen\b|\bheart (?:condition|problems?|attack)\b|\basthma\w*|\bcopd\b|"
            r"\bbreathing (?:problems?|difficult\w*)\b|\bmental health\b|\bdepress(?:ed|ion)\b|\bepilep\w*|"
            r"\bjust (?:had|come out of) (?:an )?(?:operation|surgery|hospital)\b",
            r"\b(?:heart|cancer|kidney|dialysis|transplant|stroke|lung) patient\b|\bdiabetic\b|"
            r"\b(?:pacemaker|oxygen tank|insulin)\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\b(?:ventilator|feeding (?:pump|tube)|oxygen concentrator|suction machine|life support|hoist|"
            r"through[- ]floor lift|stair ?lift|pendant alarm|care ?line alarm|lifeline alarm)\b",
            r"\b(?:mnd|motor neurone disease|multiple sclerosis|cerebral palsy|muscular dystrophy|"
            r"sickle cell)\b",
            r"\b(?:run out of|ran out of|not taken|hasn'?t taken|without) (?:her |his |my |their |any )?"
            r"(?:medication|meds|insulin|inhaler)\b",
        ),
    ),
    Rule(
        "language_barrier",
        _("Language barrier"),
        "vulnerable",
        _p(
            r"\b(?:don'?t|does not|doesn'?t|do not|can'?t|cannot|can not) (?:speak|read|understand|write) "
            r"(?:much |good |any |very good |well in )?english\b",
            r"\b(?:no|little|poor|limited|not much) english\b",
            r"\benglish (?:is not|isn'?t) (?:my|her|his|their|our) (?:first )?language\b",
            r"\bneed(?:s)? an? (?:interpreter|translator)\b",
        ),
    ),
    Rule(
        "carer",
        _("Carer, or someone who depends on a carer"),
        "vulnerable",
        _p(
            r"\b(?:i'?m|i am|as) (?:a|the|her|his|their|"
            r"my \w+'?s) (?:full[- ]time |unpaid |only |young )?carer\b",
            r"\b(?:i|we) (?:care|caring) for (?:my|our)\b|\bcaring for (?:my|our|her|his)\b",
            r"\b(?:i|we) look after (?:my|our) (?:disabled|elderly|sick|ill|poorly)\b",
            r"\byoung carers?\b|\bher carers?\b|\bhis carers?\b|\bcarers? (?:comes?|visits?)\b",
            # The carer has not come, or is ill: the person cared for is on their own (ADR 0169).
            rf"\bcarers?\b{W % 20}\b(?:hasn'?t|has not|haven'?t|didn'?t|did not|not|never) (?:been|come|came|"
            r"turned up|shown up|arrived)\b|\bcarers?(?:'s| has| is| have| are)? (?:been )?(?:taken ill|ill|"
            r"in hospital|off sick|poorly|rushed)\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            rf"\bcarers?\b{W % 40}\b(?:nobody|no one|no carer)(?: has| have)? (?:come|came|turned up|been)\b",
        ),
    ),
    Rule(
        "self_neglect",
        _("Self-neglect"),
        "vulnerable",
        _p(
            r"\bself[- ]neglect\w*|\bhoard(?:er|ing)\b",
            r"\bnot (?:eating|washing|looking after (?:him|her|them|my)sel(?:f|ves))\b",
            r"\b(?:hasn'?t|has not|haven'?t) (?:eaten|washed|"
            r"been seen|left (?:the|her|his) (?:house|flat))\b",
            r"\bliving in (?:squalor|filth)\b|\bnot been seen for\b",
        ),
    ),
    Rule(
        "threats",
        _("Threats or violence"),
        "urgent",
        _p(
            r"(?<!life[ -])\bthreat(?:en|ened|ening|ens)\b(?:\s+(?:me|us|him|her|them|to))?",
            r"\b(?:become|becomes|became|get|gets|got|getting) (?:very |really )?"
            r"(?:hostile|aggressive|abusive|violent)\b",
            r"\bdeath threats?\b|\b(?:said|says) (?:he|she|"
            r"they)(?:'?d| would| will|'ll) (?:kill|hurt|stab|burn)\b",
            r"\b(?:pulled|carrying|waving|has|has got|got|holding) an? (?:knife|gun|machete|weapon|blade|"
            r"baseball bat|axe|hammer)\b",
            # A threat or an attack under way, said plainly (ADR 0169).
            r"\b(?:said|says|saying) (?:he|she|they)(?:'s| is|'re| are) going to (?:kill|hurt|stab|burn|"
            r"shoot)\b",
            r"\b(?:trying to|going to|tried to) break in\b|\bbreaking in\b|"
            r"\bkick(?:ing|ed|s)? (?:my|the|our|her|his) (?:front |back )?door (?:in|down)\b",
            r"\b(?:thrown|threw|throwing) (?:a |bricks?|stones?|rocks?)\w*(?: \w+){0,2} (?:through|at) "
            r"(?:my|our|the|her|his) (?:window|door|car|house)",
            r"\bsmash(?:ing|ed)? (?:up )?(?:cars|windows|the windows|my windows|car windows)\b",
            r"\b(?:racist|homophobic|transphobic|hate) (?:abuse|attack|crime)\b",
            r"\b(?:he|she|they|someone|somebody) (?:grabbed|pushed|pushes|shoved|strangled|choked|kicked|"
            r"punched|slapped|hit|hits|beat|beats|attacked) me\b",
            # (ADR 0175)
            r"\b(?:dad|father|mum|mother|stepdad|stepfather|stepmum|brother|uncle)\b (?:hits|beats|hurts|"
            r"slaps|punches|kicks) (?:her|him|them|me|us)\b",
            r"\b(?:being )?followed (?:home|everywhere)\b|\b(?:is|keeps|been|he'?s|she'?s) following me\b|"
            r"\b(?:he'?s|she'?s|they'?re|is|are) watching me\b|\bknows where i live\b",
            r"\b(?:assault\w*|attacked|beat(?:en)? up|punched|stabbed|shot at)\b",
            r"\b(?:harass\w*|intimidat\w*|stalk(?:ed|ing))\b",
        ),
    ),
    Rule(
        "gas",
        _("Smell of gas"),
        "urgent",
        _p(
            r"\b(?:smell(?:s|ing)?|odou?r|stench) (?:of )?(?:natural )?gas\b",
            r"\bgas (?:leak\w*|smell\w*|escape)\b",
            r"\bsmells? like gas\b",
            # (ADR 0169)
            r"\b(?:stinks?|reeks?|whiff|smells?|stink|reek) (?:of |like )?gas\b|\brotten eggs?\b",
            rf"\bgas\b{W % 40}\bhiss\w*|\bhiss\w*{W % 40}\bgas\b",
            r"\bleaking gas\b|\bgas is leaking\b",
            r"\bcarbon monoxide\b|\bco alarm\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\bco (?:alarm|detector)s?\b|\bcarbon monoxide (?:alarm|detector)s?\b",
            rf"\bsulph?ur\w*\b{W % 30}\bsmell|\bsmell\w*\b{W % 30}\bsulph?ur\w*|\beggy smell\b",
            r"\bblow (?:the (?:block|building|house|flats?|street)|us all|everyone|everybody) up\b",
        ),
    ),
    Rule(
        "flooding",
        _("Flooding"),
        "urgent",
        _p(
            rf"\bflood(?:ed|ing|s)?\b{W % 40}"
            r"\b(?:house|home|flat|property|kitchen|basement|electrics|bedroom|living room|ground floor|"
            r"shop|cellar)",
            r"\b(?:house|home|flat|property|kitchen|basement|cellar|ground floor|bedroom)\b"
            rf"{W % 20}\bflood\w*",
            r"\bwater (?:is )?(?:pouring|gushing|coming|flooding|pour(?:s|ed)|rushing|streaming) "
            r"(?:in|into|through|down)\b",
            r"\bburst (?:its )?banks\b|\bburst (?:water )?(?:main|pipe)s?\b|\bpipes?(?:'s| has|"
            r" have)? burst\b",
            rf"\bwater\b{W % 30}\b(?:electrics|sockets|light fittings?|fuse ?box|ceiling lights?|"
            r"electric meter|meter cupboard|lights? (?:have |has |'ve )?(?:all )?(?:gone|went) (?:off|out))",
            r"\bwater (?:is |'s )?(?:running|pouring|streaming) down (?:inside )?(?:the|my|our) walls?\b",
            r"\b(?:road|street|house|flat) is flooded\b|\bunder water\b|\bunderwater\b",
            r"\bflash flood\w*",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\b(?:river|torrent|waterfall) (?:running |pouring |coming )?(?:down|through|into) (?:the|our|"
            r"my) "
            r"(?:stairs|stairwell|hall|ceiling|kitchen|walls?)\b",
        ),
    ),
    Rule(
        "dangerous_structure",
        _("Dangerous structure"),
        "urgent",
        _p(
            r"\bcollaps\w*|\bcollasp\w*|\bcan fall (?:any ?time|at any time)\b",
            r"\babout to (?:fall|come down|collapse|give way)\b",
            rf"\b(?:wall|roof|ceiling|balcony|chimney|building|scaffold\w*|bricks?|masonry|structure|"
            rf"canopy|sign|hoarding|tiles?)\b{W % 40}"
            r"\b(?:fall(?:en|ing)? (?:off|down|in|onto)|fell (?:off|down|in)|"
            r"unsafe|loose|crumbling|swaying|dangerous|unstable|bulging|giving way|coming down|come down)",
            r"\b(?:dangerous|unsafe|unstable) (?:structure|building|wall|scaffold\w*|balcony|roof)\b",
            r"\bstructurally (?:compromised|unsound|unsafe|damaged)\b|\bleaning dangerously\b",
            rf"\b(?:wall|roof|ceiling|building|footings?|foundations?|structure)\b{W % 30}"
            r"\b(?:compromised|cracked open|subsid\w*)",
            rf"\b(?:loose|crumbling|falling|cracked)\b{W % 20}"
            r"\b(?:bricks?|masonry|fa[cç]ade|tiles|cornice)\b",
            # Electricity within reach: live, exposed or fallen wires, a tree grown into a line.
            r"\b(?:live|exposed|bare|hanging|dangling|down(?:ed)?|fallen|sparking) "
            r"(?:electric(?:al|ity)? |power )?"
            r"(?:wires?|cables?|power ?lines?|lines?)\b|\bsparking\b|\belectrocut\w*",
            rf"\b(?:power|electric(?:al|ity)?) (?:lines?|cables?|wires?)\b{W % 40}"
            r"\b(?:down|sparking|hanging|exposed|tree|branch\w*|limb|wrapped)\b",
            rf"\b(?:tree|branch\w*|limbs?)\b{W % 40}"
            r"\b(?:power ?lines?|electric(?:al)? (?:lines?|wires?|cables?))",
            # Something overhead about to come down on people.
            rf"\b(?:branch\w*|limbs?|trees?|fronds?|poles?|lamp ?posts?|street ?lights?|signs?|canopy|awning|"
            rf"gutters?|fence)\b{W % 40}"
            r"\b(?:hanging|dangling|starting to (?:fall|come down|lean)|falling (?:down|off|on)|"
            r"(?:could|might|will|may) (?:fall|come down|collapse)|ready to fall|fall hazard|"
            r"leaning (?:over|into|onto))",
            r"\bsink ?holes?\b",
            # (ADR 0169)
            r"\bcav(?:ed|ing) in\b|\bhanging off (?:the|its) (?:building|wall|house|front)\b",
            rf"\b(?:wall|ceiling|building|house|chimney|stairs?|staircase|floor|bridge|balcony)\b{W % 40}"
            r"\b(?:crack(?:ed|ing)? (?:right )?(?:through|open)|getting wider|widening|"
            r"bits (?:are )?(?:dropping|"
            r"falling) off|sagging|going to (?:go through|give way|collapse))",
            r"\b(?:got|had|getting|gets|given) (?:a|an) (?:electric(?:al)? )?shocks? (?:off|from) (?:the|"
            r"a)\b",
            rf"\b(?:wires?|cables?)\b{W % 30}\b(?:sticking out|hanging out|showing|bare)\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\b(?:afraid|scared|worried|frightened) (?:that )?(?:it|the (?:ceiling|wall|roof|floor|balcony))"
            r"(?:'s| is| will|'ll)? (?:going to |gonna )?(?:fall|come down|collapse|give way)\b",
            r"\b(?:could|might|will|going to|gonna) (?:go|come down|give way|collapse) any (?:minute|second|"
            r"moment|time)\b",
            rf"\b(?:wall|front|fa[cç]ade|building|house|chimney)\b{W % 30}\bbowing\b",
            rf"\b(?:landing|concrete|steps|floor)\b{W % 30}\b(?:crack(?:ed|ing)? (?:right )?(?:through|open)|"
            r"moves when)",
            rf"\bhole\b{W % 60}\b(?:fell|fallen|gone|went|go|falls) (?:straight |right )?(?:in|into|down)\b",
            rf"\b(?:wires?|cables?|light fitting)\b{W % 40}\b(?:spitting|fizzing|crackling|sparks?|smoking|"
            r"dangling|snapped|hanging (?:off|down|loose|low))",
            rf"\b(?:water|rain)\b{W % 30}\b(?:dripping|pouring|running) (?:onto|into|on) (?:the )?(?:wires?|"
            r"cables?|electrics|sockets?|light)",
        ),
    ),
    # Four situations the rules had no words for (ADR 0169): fire, a medical emergency, a dangerous dog,
    # and someone who lives alone not answering (a welfare check).
    Rule(
        "fire",
        _("Fire or smoke"),
        "urgent",
        _p(
            r"\bon fire\b(?! (?:hydrant|door|exit|escape|station|lane|alarm))|\b(?:caught fire|"
            r"catching fire|set (?:fire|light) to|set alight|ablaze|in flames|"
            r"burst into flames)\b|\b(?:is|are|'s|was|been) alight\b|\bflames\b",
            r"\bsmoke (?:is |'s )?(?:coming|pouring|billowing|coming out|pouring out) (?:out|from|through|"
            r"under|of)\b"
            r"(?![^.!?\n]{0,40}\b(?:bonfire|barbecue|bbq|chimney|burner|garden))",
            r"\b(?:full of|filling with|filled with|thick) smoke\b",
            r"\b(?:smell(?:s|ing)? (?:of |like )?burning|burning smell)\b",
            r"\bfire (?:in|at) (?:the|my|our|a|his|her|their) (?:kitchen|flat|house|building|block|stairwell|"
            r"bins?|garage|shed|loft|bedroom|room|park|common|field|woods)\b|\bfire next door\b",
            r"\b(?:house|flat|kitchen|building|car|bin|grass|shed|garage|roof|chip pan) fires?\b",
            r"\b(?:chip pan|pan|fryer|heater|oven|cooker|tumble dryer|e-?bike|scooter|battery) (?:went up|"
            r"has gone up|exploded|caught)\b",
            r"\b(?:kitchen|house|flat|room|building|car|block|shed|garage)(?:'s| is) burning\b",
            rf"\b(?:socket|plug|switch|fuse ?box|meter|charger|wiring)\b{W % 20}\b(?:smoking|smouldering|"
            r"melt\w*)",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\bsmoulder\w*|\bsmolder\w*",
            r"\b(?:car|van|bins?|house|flat|shed|tree|vehicle|bike|scooter)s? (?:is |are )?alight\b",
            rf"\bsmoke\b{W % 40}\b(?:window|door|flat|block|stairs|stairwell|roof)\b|\b(?:window|door|"
            rf"flat|stairwell)\b{W % 40}\bsmoke\b(?! alarm)",
        ),
    ),
    Rule(
        "medical_emergency",
        _("Someone is seriously ill"),
        "urgent",
        _p(
            r"\bchest pains?\b|\bpains? in (?:his|her|my|their|the) chest\b|\bheart attack\b",
            r"\b(?:stopped|isn'?t|is not|not) breathing\b|\b(?:struggling|fighting|gasping) (?:to breathe|"
            r"for "
            r"(?:breath|air))\b|\bcan'?t (?:get (?:her|his|my|their) )?(?:breath|words out)\b",
            r"\b(?:lips|face|he|she|baby)\b(?: \w+){0,3} (?:gone|going|turning|turned) (?:blue|grey|gray)\b",
            r"\bface\b(?: \w+){0,3} dropped\b|\bslurr(?:ed|ing)\b|\bhaving a stroke\b",
            r"\b(?:having|had|has) (?:a )?(?:fit|seizure|convulsion)s?\b|\bseizures?\b|\bconvuls\w*|"
            r"\b(?:'s|is|are|now|started|keeps?) fitting\b(?! (?:a|an|the|new|his|her|my|our|some))",
            r"\bchok(?:ing|ed) on\b|\b(?:he|she|they|baby|son|daughter)(?:'s| is| are) choking\b",
            rf"\b(?:throat|tongue|face|lips)\b{W % 30}\bswell(?:ing|ed|s)? up\b|\banaphyla\w*|"
            r"\ballergic reaction\b",
            r"\bwon'?t wake up\b|\bcan'?t wake (?:him|her|them)\b|"
            r"\binject\w* (?:something|himself|herself)",
            rf"\b(?:eaten|ate|swallowed|drunk|drank)\b{W % 20}\b(?:tablets|pills|medicine|bleach|detergent|"
            r"capsules)\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\bbreathing (?:weird|funny|strange|strangely|oddly|badly|really heavy|all wrong)\b|"
            r"\b(?:can'?t|cannot|struggling to|can hardly) breathe\b",
            r"\bblood (?:coming|pouring|gushing|running) (?:from|out of|down)\b|\bbleeding (?:heavily|badly|"
            r"a lot|loads)\b|\blosing (?:a lot of )?blood\b",
            r"\bout cold\b|\bknocked (?:out|unconscious)\b",
            r"(?:'s| has|'ve| have) taken something\b(?! (?:to|from|back|out|off))",
        ),
    ),
    Rule(
        "dangerous_dog",
        _("Dangerous dog"),
        "urgent",
        _p(
            rf"\bdogs?\b{W % 40}\b(?:bit(?:ten)?|bites|biting|attack\w*|went for|go(?:es)? for|"
            r"savag\w*|maul\w*|cornered)\b",
            r"\b(?:dangerous|aggressive|vicious|savage|out of control) dogs?\b|\bdog attack\w*",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            rf"\b(?:xl bull(?:y|ies)|bull ?dogs?|staff(?:y|ie|ies)|pit ?bulls?|rottweilers?|alsatians?|"
            rf"german shepherds?|dobermann?s?|akitas?)\b{W % 50}\b(?:bit(?:ten)?|bites|biting|lung\w*|"
            r"attack\w*|went for|go(?:es)? for|off (?:the|its|a) lead|snarl\w*|setting it on|set it on)\b",
            r"\bset(?:ting|s)? (?:it|them|(?:the|his|her|their|a) [\w ]{1,20}?) on (?:people|passers-?by|me|"
            r"us|him|her|them|(?:the )?kids|(?:the )?children|everyone|anyone)\b",
            r"\b(?:i'?ve|i have|i was|i got|he'?s|she'?s|he was|she was|been|got) (?:been )?bitten\b"
            r"(?! by (?:bed ?bugs|insects|mosquito\w*|fleas|mites))",
        ),
    ),
    Rule(
        "welfare_concern",
        _("Someone not seen or not answering"),
        "urgent",
        _p(
            r"\b(?:she|he|mum|dad|mother|father|nan|gran|grandma|grandad|neighbour|brother|sister|husband|"
            r"wife|son|daughter|aunt|uncle)(?:'s| is| are| has)? (?:not|isn'?t|hasn'?t been|hasn'?t) "
            r"(?:answering|picking up|responding|coming to the door|opening the door|answered)\b"
            r"(?! (?:my|our|the) (?:texts|emails|messages|letters))",
            rf"\b(?:post|mail|letters|milk|newspapers?)\b{W % 20}\b(?:pil(?:ing|ed) up|still (?:on|at|"
            r"in) the "
            r"(?:door|step|mat))",
            r"\bcurtains (?:haven'?t|have not|hasn'?t|not) (?:moved|been (?:opened|drawn))\b",
            r"\b(?:haven'?t|have not|hasn'?t|has not|not|nobody'?s|no one'?s|nobody has|no one has) "
            r"(?:seen|heard from) (?:him|her|the (?:old|elderly)\b|my (?:mum|dad|mother|father|nan|gran|"
            r"brother|sister|neighbour))(?: \w+){0,4} (?:for|since|in)\b",
            rf"\bcalling out\b{W % 40}\b(?:nobody|no one|no answer)\b|\b(?:calling|crying|shouting) (?:out )?"
            r"for help\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\b(?:she|he|mum|dad|nan|gran|neighbour|brother|sister)(?:'s| has| is)? (?:not|hasn'?t|never) "
            r"(?:picked up|answered|responded)\b(?! (?:my|our|the) (?:texts|emails|messages|letters))",
            rf"\b(?:door|knock\w*)\b{W % 40}\b(?:no answer|nobody (?:open|answer)\w*|no one (?:open|"
            r"answer)\w*)|"
            rf"\bno answer\b{W % 40}\b(?:door|worried)\b",
            r"\bnobody'?s? (?:has )?(?:been|gone|come) in or out\b|\b(?:flies|bluebottles) (?:at|on|in) "
            r"the windows?\b",
        ),
    ),
    Rule(
        "fallen",
        _("Someone has fallen"),
        "urgent",
        _p(
            rf"\b{PERSON}\b{W % 40}"
            r"\b(?:has fallen|have fallen|had a fall|"
            r"fell(?! (?:asleep|in love|silent|through|behind|apart))\b|(?:'s|'ve) fallen\b(?! (?:asleep|"
            r"behind|out|"
            r"through|apart|off))|"
            r"fallen (?:over|down|and|on)|falling (?:over|down)|has had a fall|taken a fall|collapsed)",
            r"\b(?:sustained|suffered|has|have|had|got) (?:\w+ ){0,2}(?:injur(?:y|ies)|cuts?|bruis\w*|"
            r"broken (?:arm|leg|wrist|hip|ankle|nose))\b",
            r"\bcut (?:his|her|their|my|a) (?:foot|feet|hand|hands|leg|legs|head|face|knee)\b",
            r"\b(?:unconscious|unresponsive|passed out|not breathing|overdos\w*)\b",
            r"\b(?:lying|laying|lay|passed out|asleep|sitting|standing|wandering)\b"
            r"(?: \w+){0,3} (?:in|on) the (?:middle of the )?(?:road|street|carriageway|traffic|roadway)\b",
            r"\b(?:person|man|woman|people|homeless)\b(?: \w+){0,3} in (?:the )?(?:road|traffic|roadway)\b",
            r"\bcan'?t get (?:up|off the floor|back up)\b|\bcannot get (?:up|off the floor)\b",
            r"\bon the floor and can'?t\b",
            r"\bhad a (?:bad )?fall\b",
            r"\b(?:slipped|tripped|crash(?:ed)?)(?: over| into it)? and (?:fell|fall|hurt|injur)\w*\b|"
            r"\b(?:wasn'?t|was not|isn'?t|is not) able to get up\b|\b(?:was|is|were) bleeding\b|"
            r"\bgot a concussion\b|\b(?:was|were|got|been) (?:badly |seriously )?(?:injured|hurt)\b|"
            r"\b(?:watched|saw) (?:\w+ ){0,3}(?:fall|fell|slip)\w*\b",
            r"\b(?:lying|lay) on the (?:floor|ground)\b",
            # (ADR 0169)
            rf"\b{PERSON}(?:'s| is| was| has been|'s been| had been)? (?:lying |stuck |"
            r"still )?on the (?:floor|ground)\b",
            rf"\b{PERSON}\b{W % 40}\b(?:won'?t wake|(?:isn'?t|is not|not) (?:moving|responding)(?! (?:his|"
            r"her|their|the|"
            r"it|my|out|in|away|on))|fainted|blacked out|dropped to the (?:ground|floor)|"
            r"(?:gone|went) down on the (?:floor|ground))",
            r"\b(?:hit|banged|cracked|split) (?:his|her|their|my) head\b|\bblood everywhere\b|\bslumped\b",
            # Callers' own words from calls written blind to these rules (ADR 0175).
            r"\bcan'?t put (?:any )?weight on\b|\b(?:my|her|his) legs? (?:won'?t|will not|wouldn'?t) "
            r"(?:work|hold me|hold (?:her|him)|move)\b",
            r"\b(?:i'?m|i am|she'?s|he'?s|she is|he is|they'?re|i'?ve been|been) (?:down|sat|sitting|stuck|"
            r"lying)"
            r" on the (?:\w+ )?(?:floor|lino|carpet|ground|tiles)\b",
            r"\bpressed (?:my|her|his|the) (?:pendant|alarm|button)\b|\b(?:slipped|fell) (?:off|out of)"
            r" (?:the|"
            r"my|her|his) (?:bed|chair|toilet|bath)\b",
        ),
    ),
    # Shut in with no way out: a lift between floors, a jammed door, a garage door down (ADR 0175).
    Rule(
        "trapped",
        _("Someone is trapped"),
        "urgent",
        _p(
            r"\b(?:stuck|trapped|shut) in (?:the|a|my|her|his|their|our) lift\b",
            r"\bbetween (?:the )?(?:\w+ ){0,3}floors\b",
            r"\btrapped\b(?! (?:wind|nerve))",
            r"\b(?:locked|shut|stuck|i'?m|i am|we'?re|she'?s|he'?s) (?:in|inside)\b[^.!?\n]{0,60}"
            r"\b(?:can'?t|cannot|unable to|won'?t) (?:get out|open|get the door open)\b",
        ),
    ),
)

CATEGORIES = tuple(rule.category for rule in RULES)

# The learned vulnerability check's flag (``vulnerability.py``, ADR 0135): no patterns of its own; the
# phrase is the clause that read most like a vulnerable person. Kind "check": staff are asked to
# read the message; the case is not raised to urgent and the resident is not shown emergency numbers.
MODEL_CHECK = Rule(
    "possible_vulnerability", _("Possible vulnerability or danger (model: please read)"), "check", ()
)


@dataclass(frozen=True)
class Flag:
    category: str
    phrase: str
    kind: str

    @property
    def label(self) -> str:
        return str(RULE_BY_CATEGORY[self.category].label)

    def as_dict(self) -> dict:
        return {"category": self.category, "phrase": self.phrase, "kind": self.kind, "label": self.label}


# The phone's learned reading of a caller's first words (``voice/caller_urgency.py``, ADR 0175): no
# patterns; the phrase is the caller's words and the model's score. Kind "vulnerable": the caller goes to
# the top of the callback list and hears the 999 line once, but the call is not ended on a model's guess.
CALLER_MODEL = Rule(
    "possible_emergency",
    _("Sounds like an emergency or a person at risk (model: please listen)"),
    "vulnerable",
    (),
)

RULE_BY_CATEGORY = {rule.category: rule for rule in (*RULES, MODEL_CHECK, CALLER_MODEL)}


def find_flags(*texts: str) -> list[Flag]:
    """Flags raised by any of the texts (the original and, when there is one, its translation)."""
    flags: dict[str, Flag] = {}
    for text in texts:
        if not text:
            continue
        for rule in RULES:
            if rule.category in flags:
                continue
            match = next((m for p in rule.patterns for m in [p.search(text)] if m), None)
            if match is None:
                continue
            phrases = [match.group(0)]
            if rule.requires:
                extra = [p.search(text) for p in rule.requires]
                if not all(extra):
                    continue
                phrases += [m.group(0) for m in extra if m.group(0).lower() not in match.group(0).lower()]
            flags[rule.category] = Flag(rule.category, " + ".join(p.strip() for p in phrases), rule.kind)
    if "no_heating_child" in flags:  # the urgent flag already says it, with the child
        flags.pop("no_heating_or_water", None)
    return [flags[c] for c in CATEGORIES if c in flags]


# --- What the resident is told at once -------------------------------------------------------------


@dataclass(frozen=True)
class EmergencyContact:
    key: str
    name: str
    number: str
    when: str


def _contacts() -> dict[str, EmergencyContact]:
    return {
        "999": EmergencyContact(
            "999", str(_("Emergency services")), "999", str(_("if anyone is in danger now"))
        ),
        "gas": EmergencyContact(
            "gas",
            str(_("National Gas Emergency Service")),
            "0800 111 999",
            str(_("free, 24 hours a day: leave the building first, without using switches or flames")),
        ),
        "samaritans": EmergencyContact(
            "samaritans", str(_("Samaritans")), "116 123", str(_("free, 24 hours a day, to talk to someone"))
        ),
        "domestic_abuse": EmergencyContact(
            "domestic_abuse",
            str(_("National Domestic Abuse Helpline")),
            "0808 2000 247",
            str(_("free and confidential, 24 hours a day")),
        ),
        "out_of_hours": EmergencyContact(
            "out_of_hours",
            str(_("Council emergency line")),
            settings.OUT_OF_HOURS_PHONE,
            str(_("evenings, nights and weekends")),
        ),
        "council": EmergencyContact(
            "council", str(_("Council contact centre")), settings.COUNCIL_PHONE, str(_("in office hours"))
        ),
    }


CONTACTS_FOR = {
    "child_at_risk": ["999", "out_of_hours"],
    "adult_at_risk": ["999", "out_of_hours"],
    "domestic_abuse": ["999", "domestic_abuse"],
    "self_harm": ["999", "samaritans"],
    "homeless_tonight": ["out_of_hours"],
    "no_heating_child": ["out_of_hours"],
    "older_or_disabled": ["council"],
    "pregnancy_or_young_children": ["council"],
    "no_heating_or_water": ["out_of_hours"],
    "health_condition": ["council"],
    "language_barrier": ["council"],
    "carer": ["council"],
    "self_neglect": ["council"],
    "threats": ["999"],
    "gas": ["gas", "999"],
    "flooding": ["999", "out_of_hours"],
    "dangerous_structure": ["999", "out_of_hours"],
    "fire": ["999"],
    "medical_emergency": ["999"],
    "dangerous_dog": ["999", "out_of_hours"],
    "welfare_concern": ["999", "out_of_hours"],
    "fallen": ["999"],
    "trapped": ["999", "out_of_hours"],
    "possible_vulnerability": [],
    "possible_emergency": ["999"],
}


def contacts_for(flags: list[Flag]) -> list[EmergencyContact]:
    """The numbers to show, most urgent first, each once."""
    table = _contacts()
    keys: list[str] = []
    for flag in flags:
        for key in CONTACTS_FOR[flag.category]:
            if key not in keys:
                keys.append(key)
    order = ["999", "gas", "samaritans", "domestic_abuse", "out_of_hours", "council"]
    return [table[k] for k in sorted(keys, key=order.index)]


def is_urgent(flags: list[Flag]) -> bool:
    return any(flag.kind == "urgent" for flag in flags)
