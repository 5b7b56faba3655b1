"""Make ``benchmarks/data/pii/gum_interview_news.json`` from a copy of the GUM corpus (amir-zeldes/gum).

Only the genres whose texts are under CC BY 2.5 (Wikinews interviews and news; GUM's LICENSE.md), with the
corpus's annotations (CC BY 4.0). GUM annotates entity MENTIONS (names, descriptions, pronouns) with a type;
a name here is a run of proper nouns (UPOS PROPN, the corpus's own tags) whose innermost mention is a person.
Proper nouns in place mentions are "place" (personal but not targeted), in any other mention "not personal".
Text is rebuilt from the tokens and ``SpaceAfter=No``, one line per sentence.

    python benchmarks/gum_sample.py /path/to/gum  (a checkout or a bare copy readable with ``git show``)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "pii" / "gum_interview_news.json"
GENRES = ("GUM_interview_", "GUM_news_")


def _read(repo: Path, path: str) -> str:
    if (repo / path).exists():
        return (repo / path).read_text(encoding="utf-8")
    return subprocess.run(
        ["git", "-C", str(repo), "show", f"HEAD:{path}"], check=True, capture_output=True, text=True
    ).stdout


def _files(repo: Path) -> list[str]:
    if (repo / "dep").is_dir():
        names = [f"dep/{p.name}" for p in (repo / "dep").glob("*.conllu")]
    else:
        out = subprocess.run(
            ["git", "-C", str(repo), "ls-tree", "--name-only", "HEAD", "dep/"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        names = out.split()
    return sorted(n for n in names if Path(n).name.startswith(GENRES))


def _entity_events(misc: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Opened mentions (id, type) and closed mention ids of one token's ``Entity=`` value."""
    value = next((p[len("Entity=") :] for p in misc.split("|") if p.startswith("Entity=")), "")
    opened, closed = [], []
    i = 0
    while i < len(value):
        if value[i] == "(":
            j = i + 1
            while j < len(value) and value[j] not in "()":
                j += 1
            ident, etype = value[i + 1 : j].split("-")[:2]
            opened.append((ident, etype))
            if j < len(value) and value[j] == ")":
                closed.append(ident)
                j += 1
            i = j
        else:
            m = re.match(r"(\d+)\)", value[i:])
            if m:
                closed.append(m.group(1))
                i += m.end()
            else:
                i += 1
    return opened, closed


def convert(text: str) -> dict:
    doc_id, out, spans = "", "", []
    stack: list[tuple[str, str]] = []
    run = None  # [start, end, label]
    for line in text.splitlines():
        if line.startswith("# newdoc id = "):
            doc_id = line.split("=", 1)[1].strip()
            continue
        if not line.strip():
            if out and not out.endswith("\n"):
                out = out.rstrip(" ") + "\n"
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        form, upos, misc = cols[1], cols[3], cols[9]
        opened, closed = _entity_events(misc)
        stack += opened
        start = len(out)
        out += form
        end = len(out)
        if "SpaceAfter=No" not in misc:
            out += " "
        label = None
        if upos == "PROPN" and stack:
            etype = stack[-1][1]
            label = "person" if etype == "person" else "place" if etype == "place" else "not_personal"
        if label and run and run[2] == label and start - run[1] <= 1:
            run[1] = end
        else:
            if run:
                spans.append(run)
            run = [start, end, label] if label else None
        for ident in closed:
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == ident:
                    del stack[k]
                    break
    if run:
        spans.append(run)
    return {
        "id": doc_id,
        "text": out.rstrip(),
        "spans": [{"start": a, "end": b, "label": k} for a, b, k in spans],
    }


def main() -> None:
    repo = Path(sys.argv[1])
    docs = [convert(_read(repo, name)) for name in _files(repo)]
    OUT.write_text(json.dumps(docs, ensure_ascii=False, indent=0), encoding="utf-8")
    count = sum(s["label"] == "person" for d in docs for s in d["spans"])
    print(f"{len(docs)} documents, {count} person names -> {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
