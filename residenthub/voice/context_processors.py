"""The staff menu's link to the callback list, with how many callers wait and how many are urgent.

A caller put at the top of the list only helps if someone looks at the list: the count in the menu
is on every staff page. Nothing is counted for a page that does not show the menu.
"""

from __future__ import annotations

from residenthub.accounts.permissions import can_use_callbacks

from .queries import waiting_counts


class StaffCallbacks:
    """Read lazily by the staff menu: ``allowed``, then ``waiting`` and ``urgent`` (one query)."""

    def __init__(self, user):
        self._user = user
        self._allowed: bool | None = None
        self._counts: dict[str, int] | None = None

    @property
    def allowed(self) -> bool:
        if self._allowed is None:
            self._allowed = can_use_callbacks(self._user)
        return self._allowed

    def _count(self, key: str) -> int:
        if not self.allowed:
            return 0
        if self._counts is None:
            self._counts = waiting_counts(self._user)
        return self._counts[key]

    @property
    def waiting(self) -> int:
        return self._count("waiting")

    @property
    def urgent(self) -> int:
        return self._count("urgent")


def callbacks(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {}
    return {"staff_callbacks": StaffCallbacks(user)}
