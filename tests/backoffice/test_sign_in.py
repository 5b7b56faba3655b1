"""Staff sign-in: password, lockout after repeated failures, TOTP second factor."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_and_go_where_you_were_going(highways_officer):
    client = Client()
    response = client.get("/staff/mine/")
    assert response.url == "/staff/login/?next=/staff/mine/"
    response = client.post(
        "/staff/login/", {"username": "highways.officer", "password": PASSWORD, "next": "/staff/mine/"}
    )
    assert response.status_code == 302 and response.url == "/staff/mine/"
    assert client.get("/staff/mine/").status_code == 200


def test_an_open_redirect_is_refused(highways_officer):
    response = Client().post(
        "/staff/login/",
        {"username": "highways.officer", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == "/staff/"


def test_wrong_details_get_one_message(highways_officer):
    client = Client()
    for username, password in [("highways.officer", "wrong"), ("nobody", PASSWORD)]:
        response = client.post("/staff/login/", {"username": username, "password": password})
        assert response.status_code == 400
        assert "Enter a correct username and password" in response.content.decode()
    empty = client.post("/staff/login/", {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in empty and "Enter your password" in empty


def test_residents_and_non_staff_cannot_sign_in(db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("citizen", password=PASSWORD)
    response = Client().post("/staff/login/", {"username": "citizen", "password": PASSWORD})
    assert response.status_code == 400


def test_repeated_failures_lock_the_account(highways_officer, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/staff/login/", {"username": "highways.officer", "password": "wrong"})
    locked = client.post("/staff/login/", {"username": "highways.officer", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()


def test_two_factor_when_required(highways_officer, settings):
    settings.STAFF_2FA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the throttle after a wrong code is tested by django-otp itself
    client = Client()
    response = client.post("/staff/login/", {"username": "highways.officer", "password": PASSWORD})
    assert response.url.startswith("/staff/two-factor/")
    # No device yet: set one up.
    assert client.get("/staff/two-factor/").url == "/staff/two-factor/set-up/"
    assert client.get("/staff/").status_code == 302  # not in until the second factor
    setup = client.get("/staff/two-factor/set-up/")
    assert setup.status_code == 200 and "There is a problem" not in setup.content.decode()
    device = TOTPDevice.objects.get(user=highways_officer)
    wrong = client.post(
        "/staff/two-factor/set-up/", {"token": "000000" if totp(device.bin_key) != 0 else "111111"}
    )
    assert wrong.status_code == 400
    assert client.post("/staff/two-factor/set-up/", {"token": f"{totp(device.bin_key):06d}"}).url == "/staff/"
    assert client.get("/staff/").status_code == 200
    # Next time: password, then the code.
    second = Client()
    second.post("/staff/login/", {"username": "highways.officer", "password": PASSWORD})
    assert second.get("/staff/").status_code == 302
    bad = second.post("/staff/two-factor/", {"token": "abc"})
    assert bad.status_code == 400 and "Enter the 6-digit code" in bad.content.decode()
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert second.post("/staff/two-factor/", {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
    assert second.get("/staff/").status_code == 200


def test_sign_out(highways_officer):
    client = Client()
    client.force_login(highways_officer)
    client.post("/staff/logout/")
    assert client.get("/staff/").status_code == 302
