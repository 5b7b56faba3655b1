"""Who may read insights. Built on ``accounts.permissions``; the rules in one place.

Team leaders, service managers, administrators and councillors (the read-only ``councillor``
group) read the dashboards, reports and the benefits tracker. Every figure is an aggregate with small
cells suppressed, so readers see every service's figures, restricted services included; no page
here shows a case or a resident. Officers do not see insights. Changing a benefit's RAG status is for
leads and administrators, never councillors (docs/adr/0080-insights.md).
"""

from __future__ import annotations

# The rules live in accounts.permissions, with every other access rule.
from residenthub.accounts.permissions import (  # noqa: F401
    can_edit_benefits,
    can_view_insights,
    is_councillor,
)
