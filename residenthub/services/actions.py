"""Loading the catalogue: the only writer of directorates, teams and services."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from residenthub.accounts.models import Directorate, Team

from .definitions import DefinitionError, validate_questions, validate_templates, validate_workflow
from .fees import validate_fee
from .models import LgslService, Service
from .signals import catalogue_loaded

LGSL_FILE = Path(__file__).parent / "data" / "lgsl.csv"
CODE_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,79}")


def read_lgsl(path: Path = LGSL_FILE) -> dict[int, tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            int(row["LGSL"]): (row["Description"], row["Providing Tier"]) for row in csv.DictReader(handle)
        }


def parse_catalogue(text: str, lgsl_codes: set[int]) -> dict[str, Any]:
    """Validate catalogue YAML; return the normalised catalogue or raise DefinitionError."""
    problems: list[str] = []
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DefinitionError([f"not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise DefinitionError(["the catalogue must be a mapping with directorates, workflows and services"])

    teams: dict[str, dict[str, str]] = {}
    directorates = []
    for d_index, directorate in enumerate(data.get("directorates") or []):
        where = f"directorates[{d_index}]"
        if not isinstance(directorate, dict) or not {"slug", "name"} <= set(directorate):
            problems.append(f"{where}: needs slug and name")
            continue
        directorates.append({"slug": directorate["slug"], "name": directorate["name"]})
        for t_index, team in enumerate(directorate.get("teams") or []):
            if not isinstance(team, dict) or not {"slug", "name"} <= set(team):
                problems.append(f"{where}.teams[{t_index}]: needs slug and name")
                continue
            if team["slug"] in teams:
                problems.append(f"{where}.teams[{t_index}].slug: {team['slug']!r} is used twice")
            teams[team["slug"]] = {
                "name": team["name"],
                "email": team.get("email", ""),
                "directorate": directorate["slug"],
            }
    if not directorates:
        problems.append("directorates: at least one directorate with teams is needed")

    workflows = {}
    for name, raw in (data.get("workflows") or {}).items():
        workflows[name] = validate_workflow(raw, f"workflows.{name}", problems)

    services = []
    codes: set[str] = set()
    for index, raw in enumerate(data.get("services") or []):
        where = f"services[{index}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        code = raw.get("code")
        if not isinstance(code, str) or not CODE_RE.fullmatch(code):
            problems.append(f"{where}.code: {code!r} must be lower-case letters, digits and dashes")
        elif code in codes:
            problems.append(f"{where}.code: {code!r} is used twice")
        codes.add(code)  # type: ignore[arg-type]  # reported above when not a string
        where = f"services[{index}] ({code})"
        for key in ("name", "team", "lgsl", "target_working_days", "workflow", "questions"):
            if key not in raw:
                problems.append(f"{where}.{key}: is required")
        if raw.get("team") is not None and raw.get("team") not in teams:
            problems.append(f"{where}.team: unknown team {raw.get('team')!r}")
        if raw.get("workflow") is not None and raw.get("workflow") not in workflows:
            problems.append(f"{where}.workflow: unknown workflow {raw.get('workflow')!r}")
        lgsl = raw.get("lgsl")
        if lgsl is not None and (not isinstance(lgsl, int) or lgsl not in lgsl_codes):
            problems.append(f"{where}.lgsl: {lgsl!r} is not a code in the Local Government Service List")
        days = raw.get("target_working_days")
        if days is not None and (not isinstance(days, int) or not 0 < days <= 365):
            problems.append(f"{where}.target_working_days: must be a whole number from 1 to 365")
        if raw.get("contact", "required") not in {"required", "optional"}:
            problems.append(f"{where}.contact: must be required or optional")
        if not isinstance(raw.get("open311", False), bool):
            problems.append(f"{where}.open311: must be true or false")
        elif raw.get("open311") and raw.get("restricted"):
            problems.append(f"{where}.open311: a restricted service cannot be listed in Open311")
        keywords = raw.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            problems.append(f"{where}.keywords: must be a list of words")
        synonyms = raw.get("synonyms", [])  # residents' words for it (triage matches on them)
        if not isinstance(synonyms, list) or not all(isinstance(k, str) and k.strip() for k in synonyms):
            problems.append(f"{where}.synonyms: must be a list of words or phrases")
        questions = validate_questions(raw.get("questions"), f"{where}.questions", problems)
        templates = validate_templates(raw.get("templates"), f"{where}.templates", problems)
        fee = validate_fee(  # payments: fees as data
            raw.get("fee"),
            where,
            questions,
            problems,
            [s["code"] for s in workflows.get(raw.get("workflow"), {}).get("statuses", [])],
        )
        template_names = {t["name"] for t in templates}
        for status in workflows.get(raw.get("workflow"), {}).get("statuses", []):
            if status["on_enter_template"] and status["on_enter_template"] not in template_names:
                problems.append(
                    f"{where}.templates: workflow status {status['code']!r} sends template "
                    f"{status['on_enter_template']!r}, which this service does not define"
                )
        escalation = raw.get("escalation") or {}
        remind_at = escalation.get("remind_at", 0.75) if isinstance(escalation, dict) else None
        if not isinstance(remind_at, (int, float)) or not 0 < remind_at < 1:
            problems.append(f"{where}.escalation.remind_at: must be a share of the target between 0 and 1")
            remind_at = 0.75
        services.append(
            {
                **raw,
                "questions": questions,
                "templates": templates,
                "remind_at": remind_at,
                "position": index,
                "fee": fee,
            }
        )
    if not services:
        problems.append("services: the catalogue has no services")
    if problems:
        raise DefinitionError(problems)
    return {"directorates": directorates, "teams": teams, "workflows": workflows, "services": services}


@transaction.atomic
def load_lgsl() -> int:
    rows = read_lgsl()
    for code, (description, tier) in rows.items():
        LgslService.objects.update_or_create(
            code=code, defaults={"description": description, "providing_tier": tier}
        )
    return len(rows)


@transaction.atomic
def load_catalogue(path: Path | None = None) -> dict[str, int]:
    """Validate and load the catalogue. All or nothing: a file with mistakes changes nothing.

    Services that have left the file are deactivated, never deleted, so their cases keep them.
    """
    path = Path(path or settings.CATALOGUE_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([f"cannot read {path}: {exc}"]) from exc
    catalogue = parse_catalogue(text, set(read_lgsl()))
    load_lgsl()
    directorates = {}
    for item in catalogue["directorates"]:
        directorates[item["slug"]], _ = Directorate.objects.update_or_create(
            slug=item["slug"], defaults={"name": item["name"]}
        )
    teams = {}
    for slug, item in catalogue["teams"].items():
        teams[slug], _ = Team.objects.update_or_create(
            slug=slug,
            defaults={
                "name": item["name"],
                "email": item["email"],
                "directorate": directorates[item["directorate"]],
            },
        )
    for raw in catalogue["services"]:
        Service.objects.update_or_create(
            code=raw["code"],
            defaults={
                "name": raw["name"],
                "summary": raw.get("summary", ""),
                "description": raw.get("description", ""),
                "category": raw.get("category", ""),
                "lgsl_id": raw["lgsl"],
                "team": teams[raw["team"]],
                "target_working_days": raw["target_working_days"],
                "workflow_name": raw["workflow"],
                "workflow_definition": catalogue["workflows"][raw["workflow"]],
                "form_definition": raw["questions"],
                "restricted": bool(raw.get("restricted", False)),
                "open311": bool(raw.get("open311", False)) and not raw.get("restricted", False),
                "contact": raw.get("contact", "required"),
                # Synonyms are kept with the keywords: search and triage both read them there.
                "keywords": list(dict.fromkeys([*raw.get("keywords", []), *raw.get("synonyms", [])])),
                "response_templates": raw["templates"],
                "remind_at_share": raw["remind_at"],
                "position": raw["position"],
                "active": True,
            },
        )
    catalogue_loaded.send(sender=Service, services=catalogue["services"])  # payments keeps the fees
    codes = [raw["code"] for raw in catalogue["services"]]
    retired = Service.objects.exclude(code__in=codes).filter(active=True).update(active=False)
    return {"services": len(codes), "teams": len(teams), "retired": retired}
