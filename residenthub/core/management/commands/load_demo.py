"""Demo data for ``make run``: the catalogue, addresses, staff accounts and about 50 cases.

Idempotent: running it again adds nothing that is already there.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from residenthub.accounts.models import Membership, Team
from residenthub.cases import actions
from residenthub.cases.models import Case, Channel, NotifyBy, Priority
from residenthub.core.models import Address
from residenthub.services.models import Service

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - documented demo credential, never for production
STAFF = [
    # username, first, last, team, role
    ("highways.officer", "Hana", "Okafor", "highways", Membership.Role.OFFICER),
    ("socialcare.officer", "Siân", "Roberts", "adult-social-care", Membership.Role.OFFICER),
    ("housing.officer", "Tomasz", "Nowak", "housing-repairs", Membership.Role.OFFICER),
    ("team.leader", "Priya", "Shah", "highways", Membership.Role.TEAM_LEADER),
    ("manager", "Kwame", "Mensah", "highways", Membership.Role.SERVICE_MANAGER),
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


class Command(BaseCommand):
    help = "Load the demo council: catalogue, addresses, staff accounts (demo password) and cases."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=50)

    def handle(self, *args, cases, **options):
        call_command("load_catalogue", stdout=self.stdout)
        call_command("load_addresses", stdout=self.stdout)
        self._staff()
        call_command("triage", "train", stdout=self.stdout)  # so the first resident does not wait for it
        # The single resident view: five source extracts linked into persons (skipped once loaded), so
        # the demo cases below are linked to persons as they are submitted.
        call_command("identity", "demo", stdout=self.stdout)
        if Case.objects.exists():
            self.stdout.write("Demo cases already loaded.")
        else:
            self._cases(cases)
        # Insights: five past months of requests, the daily roll-ups, the benefits register, reports.
        call_command("insights", "demo", stdout=self.stdout)

    def _staff(self):
        User = get_user_model()
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "first_name": "Ada", "last_name": "Admin"},
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        for username, first, last, team_slug, role in STAFF:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "is_staff": True,
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@council.example",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            team = Team.objects.get(slug=team_slug)
            Membership.objects.get_or_create(user=user, team=team, defaults={"role": role})
        # Demo staff may use the interim admin tools for cases.
        from django.contrib.auth.models import Permission

        perms = Permission.objects.filter(
            content_type__app_label="cases", codename__in=["view_case", "change_case"]
        )
        for username, *_rest in STAFF:
            User.objects.get(username=username).user_permissions.add(*perms)
        self.stdout.write(f"Staff accounts ready (password: {DEMO_PASSWORD}).")

    @transaction.atomic
    def _cases(self, count):
        rng = random.Random(2026)
        services = list(Service.objects.filter(active=True))
        addresses = list(Address.objects.all()[:200])
        officer = get_user_model().objects.get(username="admin")
        now = timezone.now()
        for index in range(count):
            service = services[index % len(services)]
            name, email = RESIDENTS[index % len(RESIDENTS)]
            address = rng.choice(addresses)
            answers = {}
            for question in service.form.questions:
                if not question.is_shown(answers) or not question.required:
                    continue
                answers[question.name] = _demo_answer(question, address, rng)
            case = actions.create_case(
                service=service,
                answers=answers,
                contact=actions.Contact(name=name, email=email, notify_by=NotifyBy.EMAIL),
                channel=rng.choice([Channel.WEB] * 6 + [Channel.PHONE, Channel.FACE_TO_FACE, Channel.EMAIL]),
                priority=Priority.URGENT if index % 9 == 0 else Priority.NORMAL,
                received_at=now - dt.timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 8)),
            )
            if case.team.slug == "highways" and index % 3 == 0:
                case = actions.assign(
                    case, by=officer, officer=get_user_model().objects.get(username="highways.officer")
                )
            # Walk some cases along their workflow so the demo has every kind of state.
            for _step in range(index % 4):
                moves = case.service.workflow.allowed_from(case.status)
                if not moves:
                    break
                target = moves[0]
                case = actions.transition(
                    case,
                    target.code,
                    # Restricted cases are moved by the system: the administrator may not change them.
                    by=None if case.restricted else officer,
                    reason="Demo: no further action needed." if target.reason_required else "",
                    public_message="We have inspected the site." if index % 2 else "",
                )
        self._demo_resident_case(services)
        self.stdout.write(f"Created {count} demo cases.")

    def _demo_resident_case(self, services):
        """The identity demo resident (docs/identity.md) reports a pothole outside her home, spelled
        as she writes it; the point-of-entry check links it to her person."""
        service = next((s for s in services if s.code == "report-pothole"), services[0])
        address = Address.objects.filter(uprn="100090000057").first() or Address.objects.first()
        rng = random.Random(57)
        answers = {}
        for question in service.form.questions:
            if question.is_shown(answers) and question.required:
                answers[question.name] = _demo_answer(question, address, rng)
        actions.create_case(
            service=service,
            answers=answers,
            contact=actions.Contact(
                name="Maggie O'Brien",
                email="maggie.obrien@example.com",
                notify_by=NotifyBy.EMAIL,
                postcode=address.postcode,
            ),
            channel=Channel.WEB,
        )


def _demo_answer(question, address, rng):
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
