"""What the resident 360 page asks the apps that hold more about a person (``core.hooks``).

Identity is read by foi (subject access packs) and residents (accounts, tell us once), so it never
imports them back (no import cycles between apps, docs/architecture.md): they register here in
their ``AppConfig.ready()``.

- ``timeline_items(person, user, records, cases, kinds) -> list[people.Item]``: more timeline
  rows of the kinds in ``kinds`` that ``user`` may see (foi: information requests).
- ``preferences(person) -> dict | None``: how the person asked to hear from us (residents: their
  account); the page falls back to their latest case.
- ``flags(person) -> list[dict]``: flags staff set on the person (residents); the page adds the
  vulnerability the front door found in their messages.
- ``flag_kinds() -> list[tuple[str, str]]``: the flags staff may add (residents).
"""

from __future__ import annotations

from residenthub.core.hooks import Hook

timeline_items = Hook("identity.timeline_items")
preferences = Hook("identity.preferences")
flags = Hook("identity.flags")
flag_kinds = Hook("identity.flag_kinds")
