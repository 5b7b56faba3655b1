"""Settings are read once, in residenthub/settings.py through residenthub/env.py.

Code uses ``settings.X``; never ``getattr(settings, "X", default)`` (an operator's value under a
misspelt name is silently ignored) nor ``os.environ``. ``allowed_settings_reads.txt`` lists the files
that still do; it only ever shrinks.
"""

from __future__ import annotations

from .checks import compare, read_allowlist, settings_reads


def test_settings_are_read_only_in_settings_py():
    problems = compare(
        list(settings_reads()),
        read_allowlist("allowed_settings_reads.txt"),
        "allowed_settings_reads.txt",
        "settings reads outside settings.py",
    )
    assert not problems, "Add the setting to settings.py (via env.py) and use settings.X:\n" + "\n".join(
        problems
    )
