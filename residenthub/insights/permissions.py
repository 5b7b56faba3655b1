"""Who may read insights. Built on ``accounts.permissions``; the rules in one place.

Team leaders, service managers, administrators and councillors (the read-only ``councillor``
group) read the dashboards, reports and the benefits tracker. Every figure is an aggregate with small
cells suppressed, so readers see every service's figures, restricted services included; no page
here shows a case or a resident. Officers do not see insights. Changing a benefit's RAG status is for
leads and administrators, never councillors (docs/adr/0080-insights.md).
"""

from __future__ import annotations

from residenthub.accounts.models import COUNCILLOR_GROUP
from residenthub.accounts.permissions import is_manager, is_verified_staff


def is_councillor(user) -> bool:
    if not is_verified_staff(user):
        return False
    cached = getattr(user, "_is_councillor", None)
    if cached is None:
        cached = user.groups.filter(name=COUNCILLOR_GROUP).exists()
        user._is_councillor = cached
    return cached


def can_view_insights(user) -> bool:
    return is_verified_staff(user) and (is_manager(user) or is_councillor(user))


def can_edit_benefits(user) -> bool:
    """Set a benefit's RAG status and run reports on demand: leads and administrators."""
    return is_verified_staff(user) and is_manager(user) and not is_councillor(user)
