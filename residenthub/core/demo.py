"""The demo council's people and a plausible answer to any form question (``hub load_demo``).

Here, at the bottom of the layers, so that every app's own demo command may use them; the loader
itself (residenthub/demo) sits at the top.
"""

import datetime as dt

from django.utils import timezone

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - documented demo credential, never for production
STAFF = [
    # username, first, last, team, role (accounts.Membership.Role)
    ("highways.officer", "Hana", "Okafor", "highways", "officer"),
    ("socialcare.officer", "Siân", "Roberts", "adult-social-care", "officer"),
    ("housing.officer", "Tomasz", "Nowak", "housing-repairs", "officer"),
    ("team.leader", "Priya", "Shah", "highways", "team_leader"),
    ("manager", "Kwame", "Mensah", "highways", "service_manager"),
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


def demo_answer(question, address, rng):
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
    return "Demo answer: please see the details given on the phone."
