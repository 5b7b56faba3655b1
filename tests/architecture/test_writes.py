"""Every write of a domain model goes through an action (ADR 0060, docs/architecture.md).

``.save()``, ``.delete()``, ``.update()`` on a queryset, ``objects.create`` and friends, ``bulk_*``:
only in ``actions.py`` (or ``*_actions.py``), migrations and tests. ``allowed_writes.txt`` lists the
files that still break the rule; it only ever shrinks.
"""

from __future__ import annotations

from .checks import compare, model_writes, read_allowlist


def test_models_are_written_only_by_actions():
    problems = compare(
        list(model_writes()), read_allowlist("allowed_writes.txt"), "allowed_writes.txt", "model writes"
    )
    assert not problems, "Write models in an action (docs/architecture.md):\n" + "\n".join(problems)
