"""Walking the resident journey with Django's test client."""

from __future__ import annotations

import io

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def png(name="photo.png", size=None):
    data = PNG if size is None else PNG + b"\x00" * (size - len(PNG))
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def q(code: str, name: str) -> str:
    return f"/services/{code}/{name}/"


def contact_url(code: str) -> str:
    return f"/services/{code}/your-details/"


def check_url(code: str) -> str:
    return f"/services/{code}/check-your-answers/"


def answer_pothole(client, *, injured="no", photo=None):
    code = "report-pothole"
    steps = [
        ("location", {"location-description": "Outside 14 Station Road", "location-postcode": "e20 1ab"}),
        ("surface", {"surface": "road"}),
        ("size", {"size": "large"}),
        ("photo", {"photo": photo} if photo else {}),
        ("injured", {"injured": injured}),
    ]
    if injured == "yes":
        steps.append(("injury_details", {"injury_details": "A cyclist fell off."}))
    for name, data in steps:
        response = client.post(q(code, name), data)
        assert response.status_code == 302, (name, response.content.decode()[:3000])
    return response


def give_contact(client, code="report-pothole", **overrides):
    data = {"name": "Siân O'Brien", "email": "sian@example.com", "phone": "", "notify_by": "email"}
    data.update(overrides)
    return client.post(contact_url(code), data)


def submit(client, code="report-pothole"):
    page = client.get(check_url(code))
    assert page.status_code == 200, page
    key = page.context["submission_key"]
    return client.post(check_url(code), {"submission_key": key}), key
