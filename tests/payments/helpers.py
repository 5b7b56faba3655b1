"""Walking the bulky waste journey with Django's test client, and GOV.UK Pay's side of it."""

from __future__ import annotations

import urllib.parse
import urllib.request

from residenthub.cases.models import Case

CODE = "bulky-waste"


def answer_bulky_waste(client, *, items: int = 3, email: str = "sian@example.com", notify_by: str = "email"):
    steps = [
        (
            "address",
            {
                "action": "manual",
                "address-line1": "14 Station Road",
                "address-town": "Demoborough",
                "address-manual_postcode": "E20 1AB",
            },
        ),
        ("items", {"items": ["sofa", "mattress", "fridge"]}),
        ("item_count", {"item_count": str(items)}),
        (
            "preferred_date",
            {"preferred_date-day": "1", "preferred_date-month": "6", "preferred_date-year": "2031"},
        ),
        ("where_left", {"where_left": "kerbside"}),
    ]
    for name, data in steps:
        response = client.post(f"/services/{CODE}/{name}/", data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    response = client.post(
        f"/services/{CODE}/your-details/",
        {
            "name": "Siân O'Brien",
            "email": email,
            "phone": "07700 900123" if notify_by == "sms" else "",
            "notify_by": notify_by,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def check_page(client):
    page = client.get(f"/services/{CODE}/check-your-answers/")
    assert page.status_code == 200
    return page


def submission_key(page) -> str:
    """From the page's HTML: the test client's ``context`` is not safe to read across threads."""
    import re

    return re.search(r'name="submission_key" value="([^"]+)"', page.content.decode()).group(1)


def submit(client):
    key = submission_key(check_page(client))
    return client.post(f"/services/{CODE}/check-your-answers/", {"submission_key": key}), key


def pay_on_hosted_page(next_url: str, card: str = "4444333322221111", action: str = "pay") -> str:
    """Fill in GOV.UK Pay's card page (the fake's), as the resident's browser would; returns the
    return URL it sends them back to. The card number goes to GOV.UK Pay, never to Resident Hub."""
    with urllib.request.urlopen(next_url) as page:  # noqa: S310 - loopback
        assert page.status == 200
    token = next_url.rstrip("/").rsplit("/", 1)[1]
    base = next_url.split("/secure/")[0]
    data = urllib.parse.urlencode({"card_number": card, "action": action}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(urllib.request.Request(f"{base}/secure/{token}", data=data, method="POST"))
    except urllib.error.HTTPError as exc:
        assert exc.code == 303
        return exc.headers["Location"]
    raise AssertionError("the card page did not redirect back")


def local_path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def latest_case() -> Case:
    return Case.objects.order_by("-id").first()
