"""Staff organisation only: no resident data (staff accounts are declared by retention)."""

from residenthub.core.personal_data_registry import no_personal_data

from .models import Directorate, Membership, Team

no_personal_data(Directorate, "Council structure.")
no_personal_data(Team, "Council structure; a team's shared mailbox.")
no_personal_data(Membership, "Which staff user is in which team (staff accounts: retention.personal_data).")
