"""hub open311 create-key NAME [--scope ...] | list-keys | revoke-key PREFIX"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from residenthub.api import keys
from residenthub.api.models import ApiKey, Scope


class Command(BaseCommand):
    help = "Manage API keys of Open311 and REST clients."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create-key", help="create a key and print it (once)")
        create.add_argument("name")
        create.add_argument("--scope", action="append", choices=Scope.values, dest="scopes")
        create.add_argument("--user", help="staff username the key acts as (staff scopes)")
        sub.add_parser("list-keys", help="list keys (never the keys themselves)")
        revoke = sub.add_parser("revoke-key", help="revoke a key by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        if action == "create-key":
            user = None
            if options.get("user"):
                user = get_user_model().objects.filter(username=options["user"], is_staff=True).first()
                if user is None:
                    raise CommandError(f"no staff user {options['user']!r}")
            try:
                key, raw = keys.create_key(options["name"], options.get("scopes") or [Scope.OPEN311], user)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stderr.write(f"Key for {key.name} (scopes: {', '.join(key.scopes)}). It is shown only once:")
            self.stdout.write(raw)
        elif action == "list-keys":
            for key in ApiKey.objects.all():
                state = "revoked" if key.revoked_at else "active"
                self.stdout.write(f"{key.prefix}  {state:8}  {key.name}  {','.join(key.scopes)}")
        elif action == "revoke-key":
            key = ApiKey.objects.filter(prefix=options["prefix"]).first()
            if key is None:
                raise CommandError(f"no key with prefix {options['prefix']!r}")
            keys.revoke(key)
            self.stdout.write(f"Revoked {key}")
