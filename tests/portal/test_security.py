"""CSRF, headers, deploy checks, uploads only to their owners, no personal data in logs."""

import base64
import hashlib
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from residenthub.cases.tracking import make_token

from .helpers import answer_pothole, give_contact, png, submit

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_forms_need_a_csrf_token(catalogue):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/services/report-pothole/location/", {"location-description": "x"})
    assert response.status_code == 403
    assert client.post("/track/", {"reference": "x", "identity": "y"}).status_code == 403


@pytest.mark.django_db
def test_pages_carry_security_headers(client, catalogue):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    # The one inline script is allowed by its hash: check the hash is of the script on the page.
    allowed = csp.split("'sha256-")[1].split("'")[0]
    inline = re.search(r"<script>(.*?)</script>", response.content.decode(), re.S).group(1)
    assert base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode() == allowed
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _hub(*args, env_extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "residenthub.manage", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "HUB_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-0123456789",
    "ALLOWED_HOSTS": "council.example",
    "SITE_URL": "https://council.example",
}


def test_check_deploy_is_clean_under_production_settings():
    result = _hub("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "at least 50 characters"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must list"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"UPLOAD_MAX_MB": "lots"}, "UPLOAD_MAX_MB must be a whole number"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must start with redis://"),
        ({"REFERENCE_PREFIX": "db-1"}, "REFERENCE_PREFIX must be 1 to 4 capital letters"),
        ({"HUB_ENV": "staging"}, "HUB_ENV must be one of"),
    ],
)
def test_bad_settings_fail_loudly(override, message):
    result = _hub("check", env_extra={**PRODUCTION, **override})
    assert result.returncode != 0
    assert message in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 60 + "\n")
    result = _hub("check", env_extra={**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": str(secret)})
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_uploads_are_served_only_to_their_resident_and_the_right_staff(
    client, catalogue, settings, tmp_path, highways_officer, housing_officer
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    answer_pothole(client, photo=png("my-photo.png"))
    give_contact(client)
    submit(client)
    from residenthub.cases.models import Case

    case = Case.objects.get()
    attachment = case.attachments.get()
    url = f"/track/{case.reference}/files/{attachment.token}/"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert Client().get(url).status_code == 404  # a stranger
    staff = Client()
    staff.force_login(highways_officer)
    assert staff.get(url).status_code == 200
    other = Client()
    other.force_login(housing_officer)
    assert other.get(url).status_code == 404
    # Files are never under a public URL.
    assert Client().get(f"/media/{attachment.file.name}").status_code == 404
    assert not (Path(settings.STATIC_ROOT) / "attachments").exists()


@pytest.mark.django_db
def test_no_personal_data_in_logs(client, catalogue, caplog):
    caplog.set_level(logging.DEBUG)
    answer_pothole(client)
    client.post(
        "/services/report-pothole/your-details/",
        {"name": "Siân O'Brien", "email": "bad@", "notify_by": "email"},
    )
    give_contact(client, email="sian.secret@example.com", phone="07700 900982")
    submit(client)
    from residenthub.cases.models import Case

    case = Case.objects.get()
    client.get(f"/track/link/{make_token(case)}/")
    Client().post("/track/", {"reference": case.reference, "identity": "sian.secret@example.com"})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    handler_output = "\n".join(caplog.text.splitlines())
    for secret in ["sian.secret@example.com", "Siân", "07700 900982", "+447700900982"]:
        assert secret not in logged
        assert secret not in handler_output


@pytest.mark.django_db
def test_characters_no_database_can_store_are_refused_not_a_server_error(client, catalogue):
    response = client.post(
        "/services/report-pothole/location/",
        {"location-description": "by the\x00 park", "location-postcode": ""},
    )
    assert response.status_code == 400
    assert "characters we cannot accept" in response.content.decode()
    assert client.get("/", {"q": "bins\x00"}).status_code == 400
    assert client.post("/track/", {"reference": "DBC\x00", "identity": "x"}).status_code == 400
    assert client.get("/track/DBC%00/").status_code == 404
    assert client.get("/staff/cases/%00/").status_code == 404
    # Nothing already saved is lost: the earlier answer is still there.
    client.post(
        "/services/report-pothole/location/", {"location-description": "By the park", "location-postcode": ""}
    )
    client.post(
        "/services/report-pothole/location/", {"location-description": "\x00", "location-postcode": ""}
    )
    assert "By the park" in client.get("/services/report-pothole/location/").content.decode()
