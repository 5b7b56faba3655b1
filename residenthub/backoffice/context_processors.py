from residenthub.accounts.permissions import (
    can_manage_retention,
    can_triage,
    can_view_insights,
    can_work_minutes,
    can_work_requests,
    is_councillor_only,
    is_finance,
    is_manager,
)


def staff(request):
    """Staff navigation, and the banner shown while staff fill in a form for a resident."""
    user = getattr(request, "user", None)
    context = {"assisted": None}
    if user is not None and user.is_authenticated and user.is_staff:
        context["staff_user"] = user
        context["staff_is_manager"] = lazy_bool(lambda: is_manager(user))
        context["staff_can_triage"] = lazy_bool(lambda: can_triage(user))
        context["staff_in_team"] = lazy_bool(lambda: not is_councillor_only(user))
        context["staff_can_view_insights"] = lazy_bool(lambda: can_view_insights(user))
        context["staff_can_work_minutes"] = lazy_bool(lambda: can_work_minutes(user))
        context["staff_can_work_requests"] = lazy_bool(lambda: can_work_requests(user))
        context["staff_is_finance"] = lazy_bool(lambda: is_finance(user))
        context["staff_can_manage_retention"] = lazy_bool(lambda: can_manage_retention(user))
        session = getattr(request, "session", None)
        if session is not None:
            context["assisted"] = session.get("assisted")
    return context


class lazy_bool:  # noqa: N801 - used like a bool in templates
    """Evaluated only if a template asks, so pages that never show it pay no query."""

    def __init__(self, func):
        self.func = func
        self.value = None

    def __bool__(self):
        if self.value is None:
            self.value = bool(self.func())
        return self.value
