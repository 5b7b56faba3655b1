"""Personal data in resident accounts, home moves, team tasks and flags (read by retention)."""

from residenthub.core.personal_data_registry import DELETE, declare

from .models import AddressChange, PersonFlag, ResidentAccount, TeamTask

declare(
    ResidentAccount,
    record_class="resident-account",
    fields=["email", "name", "phone", "address"],
    erase=DELETE,
    links={"account": "pk", "person": "person"},
    match={"email": ["email"], "phone": ["phone"]},
    dates={"last_contact": "updated_at"},
)
declare(
    AddressChange,
    record_class="resident-account",
    fields=["old_address", "new_address", "moved_on", "offered_cases", "updated_cases"],
    erase=DELETE,
    links={"account": "account"},
)
declare(
    TeamTask,
    record_class="team-task",
    fields=["title", "detail", "records"],
    erase=DELETE,
    links={"person": "person", "account": "change__account"},
    dates={"created": "created_at"},
    eligible={"done_at__isnull": False},
)
declare(
    PersonFlag, record_class="resident-account", fields=["detail"], erase=DELETE, links={"person": "person"}
)
