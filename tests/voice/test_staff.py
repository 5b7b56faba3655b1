"""The staff callback list: personas, the order, the recording (access-controlled, audited)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from residenthub.core.models import AuditEntry
from residenthub.services.models import Service
from residenthub.voice import actions
from residenthub.voice.models import Call, Callback
from tests.conftest import _staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(catalogue, settings, tmp_path):
    settings.VOICE_RECORDING_DIR = str(tmp_path)
    settings.VOICE_RECORDING_RETENTION_DAYS = 30
    light = actions.start_call(via=Call.Via.SIMULATOR, caller="07700 900123")
    actions.set_service(light, Service.objects.get(code="report-street-light"), 0.9)
    actions.say(light, "I think you want to report a street light fault.")
    actions.book_callback(
        light, reason=Callback.Reason.HUNG_UP, detail="Hung up when asked: Where is the street light?", rank=2
    )
    actions.save_recording(light, b"RIFF-fake-wav")
    gas = actions.start_call(via=Call.Via.SIMULATOR)
    actions.book_callback(gas, reason=Callback.Reason.URGENT, detail="smell of gas + disabled", rank=0)
    care = actions.start_call(via=Call.Via.SIMULATOR)
    actions.set_service(care, Service.objects.filter(restricted=True).first(), 0.8)
    actions.book_callback(care, reason=Callback.Reason.VULNERABLE, detail="restricted", rank=1)
    return light, gas, care


def sign_in(client, username, team, **extra):
    user = _staff(username, team, **extra)
    client.force_login(user)
    return user


def test_contact_centre_sees_urgent_first_with_the_reason(client, booked):
    sign_in(client, "cs.officer", "customer-services")
    page = client.get("/voice/staff/callbacks/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("smell of gas + disabled") < html.index("Hung up when asked")
    assert "restricted" not in html  # a restricted service's callback stays with its team


def test_each_caller_has_a_time_to_ring_by_and_late_ones_are_marked_overdue(client, booked, settings):
    settings.VOICE_CALLBACK_URGENT_MINUTES = 60
    settings.VOICE_CALLBACK_OTHER_MINUTES = 1440
    light, gas, _care = booked
    two_hours_ago = timezone.now() - dt.timedelta(hours=2)
    Callback.objects.filter(pk=gas.callback.pk).update(created_at=two_hours_ago)
    sign_in(client, "cs.officer", "customer-services")
    html = client.get("/voice/staff/callbacks/").content.decode()
    assert "Ring urgent callers within 1 hour" in html and "anyone else within 24 hours" in html
    gas_row = html[html.index("smell of gas") : html.index("Hung up when asked")]
    light_row = html[html.index("Hung up when asked") :]
    assert "Overdue" in gas_row and "waiting 2\xa0hours" in gas_row
    assert "Overdue" not in light_row
    due = timezone.localtime(two_hours_ago + dt.timedelta(hours=1))
    assert due.strftime("%H:%M") in gas_row


def test_the_number_a_withheld_caller_gave_is_shown_to_ring(client, booked):
    light, gas, _care = booked
    actions.record_callback_number(gas, "+447700900999")
    sign_in(client, "cs.officer", "customer-services")
    html = client.get(f"/voice/staff/callbacks/{gas.callback.pk}/").content.decode()
    assert "withheld" in html and "Number to call back" in html and "07700 900999" in html
    assert 'href="tel:+447700900999"' in html  # one click on a softphone
    light_page = client.get(f"/voice/staff/callbacks/{light.callback.pk}/").content.decode()
    assert 'href="tel:+447700900123">07700 900123</a>' in light_page  # the number it came from


def test_officer_in_the_right_team_sees_theirs_and_the_recording(client, booked):
    light, _gas, _care = booked
    user = sign_in(client, "highways.officer", "highways")
    html = client.get("/voice/staff/callbacks/").content.decode()
    assert "Hung up when asked" in html and "smell of gas" not in html
    detail = client.get(f"/voice/staff/callbacks/{light.callback.pk}/")
    assert detail.status_code == 200 and b"I think you want to report a street light fault." in detail.content
    audio = client.get(f"/voice/staff/callbacks/{light.callback.pk}/recording/")
    assert (
        audio.status_code == 200
        and audio.content == b"RIFF-fake-wav"
        and audio["Cache-Control"] == "no-store, private"
    )
    entry = AuditEntry.objects.filter(action="voice.recording_read").get()
    assert entry.actor == user


def test_other_team_manager_and_outsider(client, booked):
    light, gas, care = booked
    sign_in(client, "housing.officer", "housing-repairs")
    assert client.get(f"/voice/staff/callbacks/{light.callback.pk}/").status_code == 404
    assert client.get(f"/voice/staff/callbacks/{light.callback.pk}/recording/").status_code == 404
    client.logout()
    from residenthub.accounts.models import Membership

    sign_in(client, "manager", "highways", role=Membership.Role.SERVICE_MANAGER)
    assert client.get(f"/voice/staff/callbacks/{light.callback.pk}/").status_code == 200
    assert client.get(f"/voice/staff/callbacks/{care.callback.pk}/").status_code == 404
    client.logout()
    assert client.get("/voice/staff/callbacks/").status_code == 302  # to the staff sign-in
    sign_in(client, "no.team", None)
    assert client.get("/voice/staff/callbacks/").status_code == 404
    assert not AuditEntry.objects.filter(action="voice.recording_read").exists()


def test_closing_a_callback_and_bad_input(client, booked):
    light, _gas, _care = booked
    sign_in(client, "highways.officer", "highways")
    bad = client.post(f"/voice/staff/callbacks/{light.callback.pk}/", {"status": "maybe"})
    assert bad.status_code == 400 and b"There is a problem" in bad.content
    done = client.post(f"/voice/staff/callbacks/{light.callback.pk}/", {"status": "done"})
    assert done.status_code == 302
    light.callback.refresh_from_db()
    assert light.callback.status == Callback.Status.DONE
    assert "Hung up" not in client.get("/voice/staff/callbacks/").content.decode()


def test_no_answer_keeps_the_caller_on_the_list_until_the_last_try(client, booked, settings):
    settings.VOICE_CALLBACK_ATTEMPTS = 3
    light, gas, _care = booked
    actions.book_callback(
        actions.start_call(via=Call.Via.SIMULATOR),
        reason=Callback.Reason.URGENT,
        detail="fallen, alone",
        rank=0,
    )
    sign_in(client, "cs.officer", "customer-services")
    url = f"/voice/staff/callbacks/{gas.callback.pk}/"
    assert "It stays on the list to be tried again (1 of 3 tries)" in client.get(url).content.decode()
    tried = client.post(url, {"status": "no_answer"}, follow=True)
    assert "No answer noted: the callback stays on the list (1 of 3 tries)" in tried.content.decode()
    gas.callback.refresh_from_db()
    assert gas.callback.status == Callback.Status.WAITING and gas.callback.attempts == 1
    html = tried.content.decode()
    # Still urgent, but after the urgent caller nobody has tried yet; before every lower rank.
    assert html.index("fallen, alone") < html.index("smell of gas") < html.index("Hung up when asked")
    assert "No answer 1 time" in html
    client.post(url, {"status": "no_answer"})
    last = client.get(url).content.decode()
    assert "This is the last try (3 in all)" in last and "welfare-check procedure" in last
    client.post(url, {"status": "no_answer"})
    gas.callback.refresh_from_db()
    assert gas.callback.status == Callback.Status.NO_ANSWER and gas.callback.attempts == 3
    assert "smell of gas" not in client.get("/voice/staff/callbacks/").content.decode()
    assert "No answer after 3 tries" in client.get(url).content.decode()
    logged = AuditEntry.objects.filter(object_id=str(gas.callback.pk)).values_list("action", flat=True)
    assert list(logged).count("voice.callback_attempt") == 2 and "voice.callback_closed" in logged
    assert client.post(url, {"status": "no_answer"}).status_code == 400  # already dealt with


def test_a_caller_reached_on_a_later_try_is_called_back(client, booked):
    light, _gas, _care = booked
    sign_in(client, "highways.officer", "highways")
    url = f"/voice/staff/callbacks/{light.callback.pk}/"
    client.post(url, {"status": "no_answer"})
    client.post(url, {"status": "done"})
    light.callback.refresh_from_db()
    assert light.callback.status == Callback.Status.DONE and light.callback.attempts == 1


def test_recordings_are_deleted_after_the_retention_period(booked):
    light, _gas, _care = booked
    assert actions.purge_recordings() == 0
    assert actions.purge_recordings(now=timezone.now() + dt.timedelta(days=31)) == 1
    light.refresh_from_db()
    assert light.recording == "" and AuditEntry.objects.filter(action="voice.recording_deleted").exists()
    with pytest.raises(actions.VoiceError, match="no recording"):
        actions.read_recording(light, by=None)


def test_staff_raise_the_case_for_the_caller_as_assisted_digital(booked, highways_officer):
    from residenthub.cases.actions import Contact
    from residenthub.cases.models import Channel, Priority

    light, gas, _care = booked
    service = Service.objects.get(code="report-street-light")
    answers = {"location": {"description": "outside 4 Riverside Close", "postcode": ""}, "fault": "out"}
    case = actions.raise_case(
        light.callback,
        by=highways_officer,
        service=service,
        answers=answers,
        contact=Contact(phone="+447700900123"),
    )
    assert case.channel == Channel.PHONE and "assisted digital" in case.channel_detail
    light.callback.refresh_from_db()
    assert light.callback.status == Callback.Status.DONE and light.callback.case == case
    with pytest.raises(actions.VoiceError, match="already been dealt with"):
        actions.raise_case(
            light.callback, by=highways_officer, service=service, answers=answers, contact=Contact()
        )
    urgent = actions.raise_case(
        gas.callback, by=highways_officer, service=service, answers=answers, contact=Contact()
    )
    assert urgent.priority == Priority.URGENT


def _menu(client, path="/staff/") -> str:
    html = client.get(path).content.decode()
    start = html.index('aria-label="Staff menu"')
    return html[start : html.index("</nav>", start)]


def test_the_staff_menu_counts_the_callers_each_team_may_see(client, booked):
    light, _gas, _care = booked
    sign_in(client, "cs.officer", "customer-services")
    menu = _menu(client)
    # The restricted service's caller is not counted for the contact centre, as it is not listed.
    assert "Callbacks (2 waiting, <strong>1 urgent</strong>)" in menu
    client.logout()
    sign_in(client, "socialcare.officer", "adult-social-care")
    assert "Callbacks (1 waiting)" in _menu(client)  # their restricted caller: vulnerable, not urgent
    client.logout()
    sign_in(client, "highways.officer", "highways")
    menu = _menu(client)
    assert "Callbacks (1 waiting)" in menu and "urgent" not in menu
    client.post(f"/voice/staff/callbacks/{light.callback.pk}/", {"status": "done"})
    menu = _menu(client, "/voice/staff/callbacks/")
    assert ">Callbacks</a>" in menu and 'aria-current="page">Callbacks' in menu  # nobody waits


def test_the_callbacks_link_is_only_for_staff_who_may_open_the_list(client, booked):
    sign_in(client, "no.team", None)  # staff, in no team: the list is not theirs to open
    assert client.get("/voice/staff/callbacks/").status_code == 404
    page = client.get("/staff/")
    assert page.status_code == 200 and "Find a resident" in _menu(client)
    assert "Callbacks" not in _menu(client)


def test_the_demo_puts_two_callers_on_the_list_once(catalogue):
    import io

    from residenthub.demo.management.commands.load_demo import Command

    command = Command(stdout=io.StringIO())
    command._phone_callbacks()
    command._phone_callbacks()  # make run again: nothing added
    waiting = list(Callback.objects.filter(status=Callback.Status.WAITING).order_by("rank", "created_at"))
    assert [(c.reason, c.team.slug) for c in waiting] == [
        (Callback.Reason.URGENT, "customer-services"),
        (Callback.Reason.HUNG_UP, "highways"),
    ]
    assert "smell of gas" in waiting[0].detail and waiting[1].call.service.code == "report-street-light"
    assert waiting[1].detail == "Hung up when asked: Where is the street light?"
    assert "already loaded" in command.stdout.getvalue()


def test_the_language_is_named_for_staff(client, booked):
    light, _gas, _care = booked
    Callback.objects.filter(pk=light.callback.pk).update(language="pl", reason=Callback.Reason.INTERPRETER)
    sign_in(client, "cs.officer", "customer-services")
    assert "Polish (pl)" in client.get("/voice/staff/callbacks/").content.decode()
    assert "Polish (pl)" in client.get(f"/voice/staff/callbacks/{light.callback.pk}/").content.decode()
