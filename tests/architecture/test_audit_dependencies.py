"""The dependency audit fails when it could not look anything up, instead of passing having checked
nothing (pip-audit itself exits 0 then)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def test_clean_report_passes():
    code, lines = audit.verdict(
        {"dependencies": [{"name": "django", "version": "5.2.8", "vulns": []}]}, "pypi"
    )
    assert code == 0 and lines == ["1 of 1 pinned dependencies audited against pypi."]


def test_unreachable_data_fails_and_says_so():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.8", "vulns": []},
            {"name": "celery", "skip_reason": "Dependency not found on PyPI and could not be audited"},
        ]
    }
    code, lines = audit.verdict(report, "pypi")
    assert code == 2
    assert lines[0] == "1 of 2 pinned dependencies audited against pypi."
    assert lines[1].startswith("NOT AUDITED: 1 dependencies could not be looked up (celery)")
    assert audit.verdict({"dependencies": []}, "osv")[0] == 2  # an empty report audited nothing


def test_a_known_vulnerability_fails_with_the_fix():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.1"]}]}
        ]
    }
    code, lines = audit.verdict(report, "pypi")
    assert code == 1 and lines[0] == "django 5.2.0: PYSEC-1 (fixed in 5.2.1)"
