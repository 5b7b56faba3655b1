"""Finding 1 (critical): the admin behind the second factor; API keys only for yourself; outbox
admin filtered by case visibility and audited."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from residenthub.accounts.models import Membership, Team
from residenthub.api import keys
from residenthub.api.models import ApiKey, Scope
from residenthub.core.actions import ActionError, Actor
from residenthub.core.models import AuditEntry, OutboxMessage
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _verified_client(user) -> Client:
    """Signed in through the staff pages with password and TOTP code."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    assert client.post("/staff/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    response = client.post("/staff/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    return client


def test_password_alone_does_not_open_the_admin_when_2fa_is_required(administrator, settings):
    settings.STAFF_2FA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = Client()
    client.post("/admin/login/", {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url != "/admin/"
    assert client.get("/admin/core/outboxmessage/").status_code == 302
    # Signed in with the password on the staff page but without the code: still no admin.
    client.post("/staff/login/", {"username": "admin", "password": PASSWORD})
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/staff/two-factor/")


def test_admin_opens_after_the_second_factor(administrator, settings):
    settings.STAFF_2FA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = _verified_client(administrator)
    assert client.get("/admin/").status_code == 200


def test_admin_login_page_sends_to_the_staff_sign_in(db):
    response = Client().get("/admin/login/?next=/admin/core/auditentry/")
    assert response.status_code == 302
    assert response.url.startswith("/staff/login/")


def test_staff_make_keys_only_for_themselves(highways_officer, housing_officer):
    with pytest.raises(ActionError):
        keys.create_key("Mine?", [Scope.CASES_READ], housing_officer, by=highways_officer)
    key, _raw = keys.create_key("Mine", [Scope.CASES_READ], highways_officer, by=highways_officer)
    entry = AuditEntry.objects.get(action="api_key.created", object_id=str(key.pk))
    assert entry.actor == highways_officer


def test_a_key_administrator_may_bind_a_key_to_someone_else(highways_officer, housing_officer, catalogue):
    admins = Team.objects.create(
        slug="key-administrators", name="Key administrators", directorate=Team.objects.first().directorate
    )
    Membership.objects.create(user=highways_officer, team=admins)
    key, _raw = keys.create_key("CRM", [Scope.CASES_READ], housing_officer, by=Actor(user=highways_officer))
    assert key.user == housing_officer
    assert AuditEntry.objects.filter(action="api_key.created", object_id=str(key.pk)).exists()


def test_superuser_cannot_mint_a_key_for_another_user_in_the_admin(administrator, housing_officer):
    client = Client()
    client.force_login(administrator)
    response = client.post(
        "/admin/api/apikey/add/", {"name": "Sneaky", "scopes": '["cases:read"]', "user": housing_officer.pk}
    )
    assert response.status_code == 200  # the form again, with the error
    assert "only for yourself" in response.content.decode()
    assert not ApiKey.objects.filter(name="Sneaky").exists()
    response = client.post(
        "/admin/api/apikey/add/", {"name": "Own", "scopes": '["cases:read"]', "user": administrator.pk}
    )
    assert response.status_code == 302
    assert ApiKey.objects.get(name="Own").user == administrator


def test_outbox_admin_hides_restricted_cases_of_other_teams_and_audits_views(
    administrator, socialcare_officer, make_case
):
    restricted = make_case("adult-social-care-assessment")
    message = OutboxMessage.objects.filter(case=restricted).first()
    assert message is not None
    admin_client = Client()
    admin_client.force_login(administrator)
    listing = admin_client.get("/admin/core/outboxmessage/")
    assert listing.status_code == 200
    assert restricted.reference not in listing.content.decode()
    assert admin_client.get(f"/admin/core/outboxmessage/{message.pk}/change/").status_code == 302

    socialcare_officer.is_staff = True
    socialcare_officer.is_superuser = True  # a superuser in the social care team sees and is audited
    socialcare_officer.save()
    client = Client()
    client.force_login(socialcare_officer)
    assert client.get(f"/admin/core/outboxmessage/{message.pk}/change/").status_code == 200
    assert AuditEntry.objects.filter(action="outbox.viewed", object_id=str(message.pk)).exists()
