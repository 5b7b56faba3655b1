"""What the resident journey asks the apps above the portal (``core.hooks``; docs/architecture.md).

The portal sits below payments and residents, so it never imports them: they register here in
their ``AppConfig.ready()``.

- ``check_context(service, answers) -> dict | None``: more context for "check your answers"
  (payments: the fee, its lines, whether card payment is possible).
- ``after_submission(request, case) -> str | None``: where the resident goes once the case exists,
  instead of the confirmation page (payments: GOV.UK Pay). The first URL given wins.
- ``contact_prefill(email) -> dict | None``: a signed-in resident's saved contact details as the
  starting values of "your contact details" (residents: the account).
- ``address_answer(email) -> dict | None``: a signed-in resident's saved address as the starting
  answer of an address question (residents: the account).
"""

from __future__ import annotations

from residenthub.core.hooks import Hook

check_context = Hook("portal.check_context")
after_submission = Hook("portal.after_submission")
contact_prefill = Hook("portal.contact_prefill")
address_answer = Hook("portal.address_answer")
