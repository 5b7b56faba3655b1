"""``{% open_task_count request.user as n %}``: tasks waiting for the user's teams (the queue shows it)."""

from django import template

from residenthub.accounts.permissions import team_ids_for

register = template.Library()


@register.simple_tag
def open_task_count(user) -> int:
    from residenthub.residents.models import TeamTask

    teams = team_ids_for(user)
    return TeamTask.objects.filter(team_id__in=teams, done_at__isnull=True).count() if teams else 0
