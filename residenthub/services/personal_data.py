"""The catalogue holds no personal data."""

from residenthub.core.personal_data_registry import no_personal_data

from .models import LgslService, Service

no_personal_data(LgslService, "The national list of service codes.")
no_personal_data(Service, "The council's service catalogue.")
