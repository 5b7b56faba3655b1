"""Known vulnerabilities in the pinned dependencies (requirements.lock), through pip-audit.

    .venv/bin/python scripts/audit_dependencies.py [--service pypi|osv]

pip-audit reports a dependency it could not look up as skipped and still exits 0, so on a machine
that cannot reach the vulnerability data (PyPI's per-release JSON, or OSV) it printed "No known
vulnerabilities found" having checked nothing. This wrapper fails instead: exit 1 when a dependency
has a known vulnerability, exit 2 when any dependency could not be audited, naming how many.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--service", choices=("pypi", "osv"), default="pypi")
    args = parser.parse_args()
    command = [
        str(Path(sys.executable).with_name("pip-audit")),
        "--progress-spinner",
        "off",
        "--require-hashes",
        "--disable-pip",
        "--vulnerability-service",
        args.service,
        "--format",
        "json",
        "-r",
        str(REPO / "requirements.lock"),
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stderr.strip() or run.stdout.strip(), file=sys.stderr)
        print("pip-audit did not produce a report: nothing was audited.", file=sys.stderr)
        return 2
    code, lines = verdict(report, args.service)
    for line in lines:
        print(line, file=sys.stderr if line.startswith("NOT AUDITED") else sys.stdout)
    return code


def verdict(report: dict, service: str) -> tuple[int, list[str]]:
    """Exit code and lines to print for pip-audit's JSON report: 1 vulnerable, 2 not audited, 0 clean."""
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    lines = []
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed release"
            lines.append(f"{dep['name']} {dep.get('version', '')}: {vuln['id']} (fixed in {fixes})")
    audited = len(dependencies) - len(skipped)
    lines.append(f"{audited} of {len(dependencies)} pinned dependencies audited against {service}.")
    if skipped:
        names = ", ".join(d["name"] for d in skipped[:10]) + (" ..." if len(skipped) > 10 else "")
        lines.append(
            f"NOT AUDITED: {len(skipped)} dependencies could not be looked up ({names}); the first "
            f"reason: {skipped[0]['skip_reason']}. The vulnerability data is probably unreachable "
            "from this machine; try --service osv, or run this where it can be reached."
        )
    if vulnerable:
        return 1, lines
    return (2 if skipped or not dependencies else 0), lines


if __name__ == "__main__":
    sys.exit(main())
