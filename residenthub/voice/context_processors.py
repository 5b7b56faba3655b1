"""The staff menu's link to the callback list, with how many callers wait and how many are urgent.

A caller put at the top of the list only helps if someone looks at the list: the count in the menu
is on every staff page. Nothing is counted for a page that does not show the menu.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from residenthub.accounts.permissions import can_use_callbacks

from .queries import waiting_counts


def callbacks(request):
    """``staff_callbacks``: ``{"waiting", "urgent"}`` for staff who may open the list, else empty
    (falsy); read lazily, in one query, when the menu is drawn."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {}
    return {
        "staff_callbacks": SimpleLazyObject(lambda: waiting_counts(user) if can_use_callbacks(user) else {})
    }
