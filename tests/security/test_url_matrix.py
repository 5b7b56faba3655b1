"""Every URL pattern in the URLconf, walked with every persona.

Each pattern is named in ``ACCESS`` with the rule it must follow. A new view that is not listed fails
``test_every_url_pattern_has_an_access_rule``; a persona that reaches a page its rule does not allow
(an answer of 200) fails ``test_no_persona_reaches_a_page_its_rule_does_not_allow``. Pages are asked
for with GET, the arguments filled with placeholders, and with real objects where the rule depends on
them (a highways case, a social care case).
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from residenthub.cases.tracking import make_token
from residenthub.portal.views import RESIDENT_EMAIL_KEY
from tests.conftest import _staff

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "resident",
    "officer",
    "other_team",
    "team_leader",
    "manager",
    "administrator",
    "triage",
    "ig",
    "councillor",
    "clerk",
    "finance",
)
STAFF = {
    "officer",
    "other_team",
    "team_leader",
    "manager",
    "administrator",
    "triage",
    "ig",
    "clerk",
    "finance",
}
MANAGERS = {"team_leader", "manager", "administrator"}

# Who may GET each page (an answer of 200). "*" is anyone; a set names the personas; "none" is
# nobody with a GET (POST-only endpoints, API endpoints that need a key, signed tokens we do not hold).
ANYONE = "*"
NOBODY: frozenset[str] = frozenset()
RULES: dict[str, object] = {
    "public": ANYONE,
    "resident": {"resident"},
    "any_staff": STAFF | {"councillor"},  # signed in with a password: setting up the second factor
    "team_staff": STAFF,  # staff in a team; councillors (no team) reach the insights pages only
    "managers": MANAGERS,
    "triage": {"triage", "administrator"},
    "foi": {"ig", "administrator"},
    "insights": MANAGERS | {"councillor"},
    "minutes": {"clerk", "administrator"},
    "finance": {"finance", "administrator"},
    "admin": {"administrator"},
    "none": NOBODY,
}

ACCESS: dict[str, str] = {
    # Resident pages and public information
    "set_language": "public",
    "portal:home": "public",
    "portal:service": "public",
    "portal:contact": "public",
    "portal:check": "public",
    "portal:confirmation": "public",
    "portal:question": "public",
    "portal:track": "public",
    "portal:track_link": "none",  # a signed token
    "portal:track_case": "none",  # the resident's own case only (checked with real cases below)
    "portal:attachment": "none",
    "portal:sign_in": "public",
    "portal:sign_in_link": "none",
    "residents:your_requests": "resident",
    "residents:account": "resident",
    "residents:account_details": "resident",
    "residents:account_address": "resident",
    "residents:move": "resident",
    "residents:move_check": "resident",
    "residents:move_done": "resident",
    "portal:sign_out": "public",
    "portal:accessibility": "public",
    "portal:privacy": "public",
    "portal:cookies": "public",
    "portal:health": "public",
    "triage:start": "public",
    "triage:chat": "public",
    "triage:result": "none",
    "triage:person": "none",
    "triage:sent": "none",
    "triage:answer_feedback": "none",
    "triage_phone": "none",  # POST with a key
    "feedback:answer": "none",  # a signed token
    "payments:webhook": "none",
    "payments:return": "none",
    "payments:pay": "none",
    "payments:paid": "none",
    "foi_public:log": "public",
    "foi_public:csv": "public",
    "foi_public:json": "public",
    "foi_public:item": "none",  # placeholder reference: nothing published under it
    "foi_public:document": "none",  # the same: only a published entry's released documents
    "minutes_public:index": "public",
    "minutes_public:committee": "none",
    "minutes_public:meeting": "none",
    "minutes_public:download": "none",
    "insights_public:kpis_csv": "public",
    "insights_public:kpis_json": "public",
    # APIs
    "api:docs": "public",
    "api:openapi": "public",
    "api:services": "public",
    "api:service": "none",
    "api:cases": "none",
    "api:track": "none",
    "api:staff_cases": "none",
    "api:staff_case": "none",
    "api:transition": "none",
    "api:notes": "none",
    "api:assign": "none",
    "api:person_match": "none",
    "api:?": "none",
    "open311:discovery": "public",
    "open311:services": "public",
    "open311:service": "none",
    "open311:requests": "public",
    "open311:request": "none",
    "open311:token": "none",
    "open311:updates": "none",
    # Staff
    "backoffice:login": "public",
    "backoffice:logout": "none",
    "backoffice:two_factor": "none",
    "backoffice:two_factor_setup": "any_staff",
    "backoffice:queue": "team_staff",
    "backoffice:mine": "team_staff",
    "backoffice:bulk": "none",
    "backoffice:case": "none",  # checked with real cases below
    "backoffice:case_action": "none",
    "backoffice:export": "managers",
    "backoffice:search": "team_staff",
    "backoffice:new_case": "team_staff",
    "backoffice:stop_assisting": "none",
    "backoffice:audit": "managers",
    "identity:review_list": "team_staff",
    "identity:review_pair": "none",
    "identity:review_decide": "none",
    "identity:person": "none",
    "identity:household": "none",
    "identity:people": "team_staff",
    "identity:case_person": "none",
    "identity:match": "none",
    "triage:staff_log": "triage",
    "triage:staff_queue": "triage",
    "triage:staff_record": "none",
    "triage:staff_examples": "triage",
    "triage:staff_review_example": "none",
    "triage:staff_models": "triage",
    "triage:staff_activate_model": "none",
    "foi:queue": "foi",
    "foi:new": "foi",
    "foi:upload_email": "foi",
    "foi:performance": "foi",
    "foi:document": "none",
    "foi:document_page": "none",
    "foi:document_page_image": "none",
    "foi:sar_pack": "none",
    "foi:detail": "none",
    "foi:upload_document": "none",
    "minutes:index": "minutes",
    "minutes:new": "minutes",
    "minutes:tasks": "minutes",
    "minutes:meeting": "none",
    "minutes:progress": "none",
    "minutes:transcript": "none",
    "minutes:edit_segment": "none",
    "minutes:recording": "none",
    "minutes:draft": "none",
    "minutes:edit_line": "none",
    "payments:mismatches": "finance",
    "payments:finance_export": "none",
    "payments:staff_case": "none",
    "residents:tasks": "team_staff",
    "residents:task_done": "none",
    "residents:person_flag": "none",
    "letters:list": "team_staff",
    "letters:batch": "none",
    "letters:printed": "none",
    "letters:pdf": "none",
    "feedback:results": "team_staff",
    "insights:dashboard": "insights",
    "insights:kpis": "insights",
    "insights:benefits": "insights",
    "insights:set_rag": "none",
    "insights:reports": "insights",
    "insights:report_file": "none",
    "voice:twiml_incoming": "none",  # POSTs signed by the telephony platform
    "voice:twiml_gather": "none",
    "voice:twiml_status": "none",
    "voice:callbacks": "team_staff",  # each team sees its own callers (voice.queries.visible_callbacks)
    "voice:callback": "none",
    "voice:recording": "none",
    # Retention (the records manager: RETENTION_TEAMS, information governance by default)
    "retention:schedule": "foi",
    "retention:sweeps": "foi",
    "retention:dry_run": "none",  # POST only
    "retention:sweep": "none",
    "retention:holds": "foi",
    "retention:release_hold": "none",
    "retention:erasures": "foi",
    "retention:erasure_new": "none",
    "retention:erasure": "none",
    "retention:certificate": "none",
}
ADMIN_PREFIX = "admin/"
# The admin's JavaScript translation catalogue holds no data: any staff page may load it.
ADMIN_PUBLIC = {"admin:jsi18n"}
LOGIN_PAGES = ("/staff/login/", "/staff/two-factor/", "/account/sign-in/")


def url_patterns():
    """(route, name) for every pattern, namespaces joined like reverse() takes them."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or "?"
                yield prefix + str(pattern.pattern), f"{namespace}:{name}" if namespace else name

    return list(walk(get_resolver().url_patterns))


def concrete(route: str) -> str:
    """A path for a route, each argument given a placeholder of its kind."""
    placeholders = {"int": "987654", "uuid": str(uuid.UUID(int=7)), "slug": "no-such-thing", "str": "NOPE-1"}
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: placeholders.get(m.group(1) or "str", "x"), route)
    # Regex routes (Open311, the API's catch-all): fill the named groups, drop the anchors.
    path = re.sub(r"\(\?P<fmt>[^)]*\)", "json", path)
    path = re.sub(r"\(\?P<app_label>([a-z_]+)[^)]*\)", r"\1", path)  # the admin's app index
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "NOPE-1", path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace(".*", "anything")
    return "/" + path


def test_every_url_pattern_has_an_access_rule():
    missing = [
        f"{name} ({route})"
        for route, name in url_patterns()
        if not route.startswith(ADMIN_PREFIX) and name not in ACCESS
    ]
    assert not missing, "Give these views an access rule in ACCESS (and in the view): " + ", ".join(missing)
    unknown = sorted(set(ACCESS.values()) - set(RULES))
    assert not unknown, unknown


@pytest.fixture
def clients(catalogue, make_case):
    users = {
        "officer": _staff("highways.officer", "highways"),
        "other_team": _staff("housing.officer", "housing-repairs"),
        "team_leader": _staff("team.leader", "highways", "team_leader"),
        "manager": _staff("manager", "highways", "service_manager"),
        "administrator": _staff("admin", None, is_superuser=True),
        "triage": _staff("cs.officer", "customer-services"),
        "ig": _staff("ig.officer", "information-governance"),
        "councillor": _staff("councillor", None),
        "clerk": _staff("clerk", "democratic-services"),
        "finance": _staff("finance.officer", "revenues"),
    }
    users["councillor"].groups.add(Group.objects.get_or_create(name="councillor")[0])
    result = {"anonymous": Client()}
    resident_case = make_case(email="resident@example.com")
    resident = Client()
    resident.get(f"/track/link/{make_token(resident_case)}/")
    session = resident.session
    session[RESIDENT_EMAIL_KEY] = "resident@example.com"  # signed in to the resident account
    session["tell_us_once"] = {"uprn": "", "date": "2026-11-01", "cases": []}  # moving home, started
    session.save()
    from residenthub.residents.models import ResidentAccount

    ResidentAccount.objects.create(email="resident@example.com", name="Rita Resident")
    result["resident"] = resident
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        result[name] = client
    return result


def _allowed(name: str) -> object:
    return RULES[ACCESS[name]]


def test_no_persona_reaches_a_page_its_rule_does_not_allow(clients):
    wrong = []
    for route, name in url_patterns():
        if route.startswith(ADMIN_PREFIX) or name not in ACCESS:
            continue
        allowed = _allowed(name)
        if allowed == ANYONE:
            continue
        path = concrete(route)
        for persona in PERSONAS:
            if persona in allowed:
                continue
            status = clients[persona].get(path).status_code
            if status == 200:
                wrong.append(f"{persona} GET {path} ({name}) -> 200")
    assert not wrong, "\n".join(wrong)


def test_the_admin_is_for_administrators_only(clients):
    wrong = []
    for route, name in url_patterns():
        if not route.startswith(ADMIN_PREFIX) or name in ADMIN_PUBLIC:
            continue
        path = concrete(route)
        for persona in PERSONAS:
            if persona == "administrator":
                continue
            response = clients[persona].get(path)
            if (
                response.status_code == 200
                and b"You don\xe2\x80\x99t have permission" not in response.content
            ):
                wrong.append(f"{persona} GET {path} ({name}) -> 200")
    assert not wrong, "\n".join(wrong)


def test_pages_with_a_rule_open_for_the_personas_it_names(clients):
    """The other side: a rule that names a persona is not silently stricter (parameterless pages)."""
    refused = []
    for route, name in url_patterns():
        if route.startswith(ADMIN_PREFIX) or "<" in route or "(?P" in route or name not in ACCESS:
            continue
        allowed = _allowed(name)
        if allowed in (ANYONE, NOBODY):
            continue
        for persona in sorted(allowed):
            response = clients[persona].get("/" + route)
            to_login = response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
            if response.status_code in (401, 403, 404) or to_login:
                refused.append(f"{persona} GET /{route} ({name}) -> {response.status_code}")
    assert not refused, "\n".join(refused)


def test_case_pages_follow_the_case_rules(clients, make_case):
    highways = make_case()
    social = make_case("adult-social-care-assessment")
    expect = {
        f"/staff/cases/{highways.reference}/": {"officer", "team_leader", "manager", "administrator"},
        f"/staff/cases/{social.reference}/": set(),  # none of these personas is in social care
    }
    wrong = []
    for path, allowed in expect.items():
        for persona in PERSONAS:
            status = clients[persona].get(path).status_code
            if (status == 200) != (persona in allowed):
                wrong.append(f"{persona} GET {path} -> {status}")
    assert not wrong, "\n".join(wrong)
