"""Personal data in the single resident view (read by retention)."""

from residenthub.core.personal_data_registry import DELETE, KEEP, declare, no_personal_data

from .models import (
    CandidateKey,
    CaseLink,
    Household,
    HouseholdMembership,
    ImportRun,
    LinkageRun,
    Person,
    PersonEvent,
    PersonLink,
    ReviewPair,
    Source,
    SourceRecord,
    SourceRecordVersion,
)

declare(
    SourceRecord,
    record_class="identity-record",
    fields=["data", "standard", "fingerprint"],
    erase=DELETE,
    links={"record": "pk"},
    dates={"removed_from_source": "last_seen"},
    eligible={"removed": True},
    note="Our copy of a council system's record; the owning team is told to act in the source system.",
)
declare(
    SourceRecordVersion,
    record_class="identity-record",
    fields=["data", "fingerprint"],
    erase=DELETE,
    links={"record": "record"},
)
declare(
    CandidateKey, record_class="identity-record", fields=["key"], erase=DELETE, links={"record": "record"}
)
declare(PersonLink, record_class="identity-record", fields=[], erase=DELETE, links={"record": "record"})
declare(
    ReviewPair,
    record_class="identity-record",
    fields=["explanation"],
    erase=DELETE,
    links={"record": ["record_l", "record_r"]},
)
declare(
    CaseLink,
    record_class="identity-record",
    fields=[],
    erase=DELETE,
    links={"case": "case", "record": "record"},
)
declare(
    HouseholdMembership,
    record_class="identity-record",
    fields=["since", "until"],
    erase=DELETE,
    links={"person": "person"},
)
declare(
    Household,
    record_class="identity-household",
    fields=["key", "label"],
    erase=KEEP,
    note="An address shared by its members; rebuild_households drops one nobody lives at.",
)
no_personal_data(Source, "A council system's name and column mapping.")
no_personal_data(
    ImportRun, "Counts of an import; a warning quotes a malformed value (postcode, date), never a name."
)
no_personal_data(LinkageRun, "The trained linkage model's parameters and counts.")
no_personal_data(Person, "A random public id: the records linked to it hold the data.")
no_personal_data(PersonEvent, "Merges and splits as record ids.")
