"""Finding 13 (low): bodies larger than the path allows are refused before they are read; a visitor
cannot pile up unsent uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from residenthub.cases.models import Attachment
from residenthub.services import questions
from residenthub.services.models import Service

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_body_over_the_limit_is_a_413_before_it_is_read(client, settings):
    too_big = str(settings.REQUEST_BODY_MAX_BYTES + 1)
    page = client.post(
        "/track/", data=b"x", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH=too_big
    )
    assert page.status_code == 413 and b"too large" in page.content
    api = client.post("/api/v1/cases", data=b"{}", content_type="application/json", CONTENT_LENGTH=too_big)
    assert api.status_code == 413 and api.json()["error"]["code"] == "too_large"


def test_staff_paths_that_take_large_files_have_their_own_limit(client, settings):
    from residenthub.core.middleware import RequestBodyLimit

    limit = RequestBodyLimit(lambda r: None)
    assert limit.limit_for("/staff/foi/requests/x/upload/") > settings.REQUEST_BODY_MAX_BYTES
    assert limit.limit_for("/report-pothole/") == settings.REQUEST_BODY_MAX_BYTES


def test_unsent_uploads_are_capped_per_visitor(catalogue, settings):
    settings.UPLOAD_MAX_PENDING = 2
    service = Service.objects.get(code="report-pothole")
    question = next(q for q in service.form.questions if q.type == "file")
    for _ in range(2):
        files = {question.name: SimpleUploadedFile("p.png", PNG, content_type="image/png")}
        assert questions.parse(question, {}, files, session_key="visitor-1").errors == []
    files = {question.name: SimpleUploadedFile("p.png", PNG, content_type="image/png")}
    outcome = questions.parse(question, {}, files, session_key="visitor-1")
    assert outcome.errors and "too many files" in outcome.errors[0][1]
    assert Attachment.objects.filter(session_key="visitor-1").count() == 2
