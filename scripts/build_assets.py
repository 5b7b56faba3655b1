"""Build the front-end assets from the npm packages into residenthub/static/govuk/.

Run by ``make install`` after ``npm ci``: compiles our stylesheet (GOV.UK Frontend with the
council's font) with Dart Sass and copies GOV.UK Frontend's JavaScript and images, with a licence notice.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOVUK = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
OUT = ROOT / "residenthub" / "static" / "govuk"


def main() -> int:
    if not GOVUK.exists():
        print("node_modules/govuk-frontend is missing: run `npm ci` first", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    sass = ROOT / "node_modules" / ".bin" / "sass"
    subprocess.run(
        [
            str(sass),
            "--load-path=node_modules",
            "--style=compressed",
            "--no-source-map",
            "--quiet",
            "residenthub/static_src/hub.scss",
            str(OUT / "hub.css"),
        ],
        check=True,
        cwd=ROOT,
    )
    shutil.copy2(GOVUK / "govuk-frontend.min.js", OUT / "govuk-frontend.min.js")
    shutil.copytree(GOVUK / "assets" / "images", OUT / "assets" / "images", dirs_exist_ok=True)
    (OUT / "NOTICE.txt").write_text(
        "GOV.UK Frontend (npm package govuk-frontend) is Crown copyright, released under the MIT licence;\n"
        "its images are (c) Crown copyright. hub.css is compiled from it by scripts/build_assets.py.\n",
        encoding="utf-8",
    )
    print(f"assets built in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
