"""The one form-error helper: the summary keeps every message, the field shows its first."""

from residenthub.core.forms import error_context, first_errors


def test_the_field_shows_its_first_message_and_the_summary_all():
    errors = [("email", "Enter an email address"), ("name", "Enter your name"), ("email", "Too long")]
    assert first_errors(errors) == {"email": "Enter an email address", "name": "Enter your name"}
    assert error_context(errors)["errors"] == errors
    assert first_errors([]) == {}
