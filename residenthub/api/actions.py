"""The writers of what clients may touch: sharing a case with an API client, and taking it back."""

from __future__ import annotations

from django.db import transaction

from residenthub.accounts import permissions
from residenthub.core.actions import ActionError, audit, require_staff

from .models import ApiKey, ClientCase


@transaction.atomic
def share_case(case, key: ApiKey, *, by) -> ClientCase:
    """Let ``key``'s client post updates to ``case`` (e.g. a contractor's system). Staff of the team
    working the case only; restricted cases are never shared with a client."""
    user = require_staff(by)
    if not permissions.can_work_case(user, case):
        raise ActionError("Only the team working this case can share it with a client.")
    if case.restricted:
        raise ActionError("Restricted cases cannot be shared with an API client.")
    if key.revoked_at is not None:
        raise ActionError("That key has been revoked.")
    link, created = ClientCase.objects.get_or_create(
        key=key, case=case, defaults={"kind": ClientCase.Kind.SHARED, "shared_by": user}
    )
    if not created:
        raise ActionError(f"{key.name} can already update this case.")
    audit(by, "case.shared_with_client", case, key=key.prefix)
    return link


@transaction.atomic
def unshare_case(case, key: ApiKey, *, by) -> None:
    user = require_staff(by)
    if not permissions.can_work_case(user, case):
        raise ActionError("Only the team working this case can change who may update it.")
    deleted, _ = ClientCase.objects.filter(key=key, case=case, kind=ClientCase.Kind.SHARED).delete()
    if not deleted:
        raise ActionError(f"{key.name} was not given this case.")
    audit(by, "case.unshared_with_client", case, key=key.prefix)
