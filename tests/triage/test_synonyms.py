"""Per-service synonyms in the catalogue: accepted by the loader, kept for triage, checked when bad."""

import pytest

from residenthub.services.actions import parse_catalogue, read_lgsl
from residenthub.services.definitions import DefinitionError
from residenthub.services.models import Service
from residenthub.triage.model import service_phrases

CATALOGUE = "residenthub/services/data/catalogue.yaml"


def _catalogue_text() -> str:
    with open(CATALOGUE, encoding="utf-8") as handle:
        return handle.read()


def _text_with(synonyms_line: str) -> str:
    text = _catalogue_text()
    start = text.index("    synonyms: [pothole")
    end = text.index("\n", start)
    return text[:start] + synonyms_line + text[end:]


def test_every_demo_service_has_synonyms():
    parsed = parse_catalogue(_catalogue_text(), set(read_lgsl()))
    assert all(s.get("synonyms") for s in parsed["services"])


@pytest.mark.parametrize(
    "line", ["    synonyms: pothole", "    synonyms: [pothole, 3]", '    synonyms: [" "]']
)
def test_bad_synonyms_are_a_clear_error(line):
    with pytest.raises(DefinitionError) as caught:
        parse_catalogue(_text_with(line), set(read_lgsl()))
    assert any("synonyms: must be a list of words or phrases" in p for p in caught.value.problems)


def test_synonyms_reach_triage_with_name_and_summary(catalogue):
    pothole = Service.objects.get(code="report-pothole")
    assert "sidewalk" in " ".join(pothole.keywords) and "pothole" in pothole.keywords
    phrases = service_phrases()["report-street-light"]
    assert "Report a street light fault" in phrases and "lamp post" in phrases
