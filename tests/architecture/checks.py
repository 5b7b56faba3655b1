"""Static checks of the code base (ADR 0060): where models are written and where settings are read.

Each check walks the syntax tree of every module under ``residenthub/`` and yields ``Finding``s; the
tests compare them with the allow-lists beside this file, which name every file still breaking a
rule and how many times. The lists only shrink: a file over its count fails, and so does a file
under it (lower the number, or remove the line, in the same commit).
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "residenthub"

# Method names that always write, whatever they are called on.
ALWAYS_WRITES = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
# Receivers that show a queryset or a manager: ``Model.objects...``, ``.filter(...)``, ``obj.events``.
QUERYSET_METHODS = {"objects", "filter", "exclude", "all", "select_for_update", "select_related", "only"}
# ``.save()``/``.delete()`` on these are not model writes (sessions, caches, files, storage).
NOT_MODELS = {"session", "cache", "file", "storage", "default_storage", "caches", "image", "index", "super"}
# The toolkit's own writers: the audit trail and the outbox are written only through these modules,
# which every action calls (core/actions.py); they are action modules under another name.
TOOLKIT_WRITERS = {"residenthub/core/audit.py", "residenthub/core/outbox.py"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def modules() -> Iterator[tuple[str, ast.AST, list[str]]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel:
            continue
        source = path.read_text(encoding="utf-8")
        yield rel, ast.parse(source, filename=rel), source.splitlines()


def may_write(rel: str) -> bool:
    """Action modules are the writers: ``actions.py``, ``*_actions.py`` or an ``actions/`` package."""
    name = rel.rsplit("/", 1)[-1]
    if rel in TOOLKIT_WRITERS or "/actions/" in rel:
        return True
    return name == "actions.py" or name.endswith("_actions.py")


def _names(node: ast.AST) -> list[str]:
    """The attribute and call names along a receiver chain, innermost last: ``a.b.filter(x).c``."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names
        else:
            return names


def _is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    method = call.func.attr
    receiver = _names(call.func.value)
    if "super" in receiver:  # a model's own guard calling Django's method
        return False
    if method in ALWAYS_WRITES:
        return True
    if set(receiver) & NOT_MODELS:
        return False
    if method == "create":
        return "objects" in receiver or any(name.endswith("_set") for name in receiver)
    if method == "update":
        return bool(set(receiver) & QUERYSET_METHODS)
    if method in {"save", "delete"}:
        # Model.save()/delete() take no positional arguments (PIL, files and the like do).
        keywords = {k.arg for k in call.keywords}
        return not call.args and "save" not in keywords
    return False


def model_writes() -> Iterator[Finding]:
    for rel, tree, lines in modules():
        if may_write(rel):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_write(node):
                yield Finding(rel, node.lineno, lines[node.lineno - 1].strip())


SETTINGS_MODULES = {"residenthub/settings.py", "residenthub/settings_test.py", "residenthub/env.py"}


def _is_settings_getattr(node: ast.Call) -> bool:
    return (
        isinstance(node.func, ast.Name)
        and node.func.id in {"getattr", "hasattr"}
        and bool(node.args)
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == "settings"
    )


def _is_environ(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
        return isinstance(node.value, ast.Name) and node.value.id == "os"
    return False


def _sets_settings_module(node: ast.Call) -> bool:
    """``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)``: how entry points pick the settings."""
    return (
        isinstance(node.func, ast.Attribute)
        and node.func.attr == "setdefault"
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "DJANGO_SETTINGS_MODULE"
    )


def settings_reads() -> Iterator[Finding]:
    for rel, tree, lines in modules():
        if rel in SETTINGS_MODULES:
            continue
        allowed = {
            id(n.func.value) for n in ast.walk(tree) if isinstance(n, ast.Call) and _sets_settings_module(n)
        }
        # ``{**os.environ, ...}``: the environment handed on to a child process, not a setting read.
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                allowed |= {id(v) for k, v in zip(node.keys, node.values, strict=True) if k is None}
        for node in ast.walk(tree):
            hit = (isinstance(node, ast.Call) and _is_settings_getattr(node)) or (
                _is_environ(node) and id(node) not in allowed
            )
            if hit:
                yield Finding(rel, node.lineno, lines[node.lineno - 1].strip())


def read_allowlist(name: str) -> Counter:
    """``path count`` per line; ``#`` starts a comment."""
    allowed: Counter = Counter()
    for raw in (Path(__file__).parent / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            path, count = line.split()
            allowed[path] = int(count)
    return allowed


def compare(findings: list[Finding], allowed: Counter, listname: str, rule: str) -> list[str]:
    """The problems, worded for the person who has to fix them; empty when the code matches the list."""
    found = Counter(f.path for f in findings)
    problems = []
    for path in sorted(set(found) | set(allowed)):
        have, may = found[path], allowed[path]
        if have > may:
            lines = "\n".join(f"    {f}" for f in findings if f.path == path)
            problems.append(f"{path}: {have} {rule} (allow-list {listname} says {may}):\n{lines}")
        elif have < may:
            problems.append(f"{path}: only {have} left, lower its line in {listname} to {have} (or drop it)")
    return problems
