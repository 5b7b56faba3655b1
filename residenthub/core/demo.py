"""The demo council's people and a plausible answer to any form question (``hub load_demo``).

Here, at the bottom of the layers, so that every app's own demo command may use them; the loader
itself (residenthub/demo) sits at the top.
"""

import datetime as dt
import zlib

from django.utils import timezone

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - documented demo credential, never for production
STAFF = [
    # username, first, last, team, role (accounts.Membership.Role)
    ("highways.officer", "Hana", "Okafor", "highways", "officer"),
    ("socialcare.officer", "Siân", "Roberts", "adult-social-care", "officer"),
    ("housing.officer", "Tomasz", "Nowak", "housing-repairs", "officer"),
    ("team.leader", "Priya", "Shah", "highways", "team_leader"),
    ("manager", "Kwame", "Mensah", "highways", "service_manager"),
    ("foi.officer", "Imogen", "Clarke", "information-governance", "officer"),
    ("contact.centre", "Dev", "Malhotra", "customer-services", "officer"),
    ("clerk", "Grace", "Adeyemi", "democratic-services", "officer"),
]
RESIDENTS = [
    ("Mary O'Brien", "mary.obrien@example.com"),
    ("Siân Evans", "sian.evans@example.com"),
    ("Zoë Clarke", "zoe.clarke@example.org"),
    ("Nguyễn Văn An", "an.nguyen@example.net"),
    ("李伟", "li.wei@example.com"),
    ("Aisha Begum", "aisha.begum@example.co.uk"),
    ("John Smith", "john.smith@example.com"),
    ("Olumide Adeyemi", "olu.adeyemi@example.com"),
]


def demo_answer(question, address, rng, service_code: str = ""):
    kind = question.type
    if kind == "address":
        return {"uprn": address.uprn, "text": address.single_line, "postcode": address.postcode}
    if kind == "location":
        return {"description": f"Outside {address.line1}", "postcode": address.postcode}
    if kind in {"choice"}:
        return rng.choice(question.choices).value
    if kind == "choices":
        return [question.choices[0].value]
    if kind == "yesno":
        return "no"
    if kind == "date":
        return (timezone.localdate() - dt.timedelta(days=rng.randint(1, 20))).isoformat()
    if kind == "number":
        return max(question.min or 1, 1)
    if kind == "email":
        return "resident@example.com"
    if kind == "phone":
        return "+447700900123"
    if kind == "postcode":
        return address.postcode
    if kind == "file":
        return None
    texts = DEMO_TEXTS.get(f"{service_code}:{question.name}") or DEMO_TEXTS.get(question.name)
    if texts:
        # Chosen by the address, not the shared random stream, so the rest of the demo stays as it was.
        return texts[zlib.crc32(f"{address.uprn}:{question.name}".encode()) % len(texts)]
    return "Demo answer: please see the details given on the phone."


# What residents write in the free-text questions, so the queues read like a council's (by question name, or
# "service code:question name" where two services share a name).
DEMO_TEXTS = {
    "request": [
        "How much did the council spend on pothole repairs in each year from 2022 to 2025, and how many "
        "potholes were repaired?",
        "Please send me the number of complaints about street lights in the borough in 2025, by ward, and "
        "the average time taken to repair a light.",
        "How many households were placed in temporary accommodation outside the borough in 2024 to 2025?",
        "What was the total cost of agency staff in the children's services department in 2024 to 2025?",
        "Please provide the contract and the performance reports for the waste collection contract since "
        "April 2023.",
    ],
    "complaint": [
        "My bin has been missed four weeks running and nobody has called me back.",
        "I reported a leak in my kitchen ceiling in June and the repair has still not been done.",
        "I was given a parking fine while my permit was clearly displayed, and my challenge was ignored.",
        "The officer I spoke to on the phone was rude and put the phone down on me.",
    ],
    "outcome": [
        "Fix the problem and tell me what you will do so it does not happen again.",
        "An apology and the fine cancelled.",
        "A date for the repair and someone to call me back.",
    ],
    "compliment": [
        "The library staff helped my father set up his email. Thank you.",
        "The crew cleared the fly-tipping in our alley the same day. Brilliant service.",
    ],
    "housing-repair:details": [
        "There is water coming through the ceiling of the bathroom and the light has stopped working.",
        "The boiler makes a banging noise and there has been no hot water since Tuesday.",
    ],
    "report-noise:details": [
        "Loud music from the flat upstairs every night until 3am; my children cannot sleep.",
        "Drilling from the building site starts at 6am, including Sundays.",
    ],
    "question": [
        "Can my son move to a school nearer our new home in the middle of Year 8?",
        "When will we hear about a primary school place for September?",
    ],
}
