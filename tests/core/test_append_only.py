"""Append-only records: the ORM guard everywhere, the trigger on PostgreSQL, and the one way through."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from residenthub.cases.models import CaseEvent
from residenthub.core.models import AppendOnlyError, AuditEntry, erasure_allowed
from residenthub.foi.models import RequestEvent
from residenthub.identity.models import PersonEvent

APPEND_ONLY = [AuditEntry, CaseEvent, RequestEvent, PersonEvent]
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def _refused(sql: str, params=None) -> None:
    """``sql`` fails on the append-only trigger (in a savepoint, so the test's transaction goes on)."""
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@pytest.fixture
def event(make_case):
    return make_case().events.get()


@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m.__name__)
def test_every_event_model_is_append_only_in_the_orm(model):
    from residenthub.core.models import AppendOnlyModel

    assert issubclass(model, AppendOnlyModel)


@pytest.mark.django_db
def test_the_orm_refuses_update_and_delete(event):
    event.text = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).update(text="rewritten")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert CaseEvent.objects.get(pk=event.pk).text != "rewritten"


@pytest.mark.django_db
def test_erasure_allowed_lets_the_orm_through_and_closes_after(event):
    with erasure_allowed():
        CaseEvent.objects.filter(pk=event.pk).update(text="[erased]")
        event.refresh_from_db()
        event.text = "[erased again]"
        event.save()
    assert CaseEvent.objects.get(pk=event.pk).text == "[erased again]"
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).update(text="after")
    with erasure_allowed():
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert not CaseEvent.objects.filter(pk=event.pk).exists()


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m.__name__)
def test_every_append_only_table_has_the_trigger(model):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE t.tgrelid = %s::regclass AND NOT t.tgisinternal",
            [model._meta.db_table],
        )
        assert ("residenthub_append_only",) in cursor.fetchall()


@postgresql_only
@pytest.mark.django_db
def test_the_database_refuses_raw_update_and_delete_of_the_audit(event):
    for sql in ("UPDATE core_auditentry SET action = 'x'", "DELETE FROM core_auditentry"):
        _refused(sql)
    assert AuditEntry.objects.exists()


@postgresql_only
@pytest.mark.django_db
def test_the_trigger_fires_on_a_real_row_and_on_cascades(event):
    _refused("UPDATE cases_caseevent SET text = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.case.delete()  # the cascade to the timeline is refused too


@postgresql_only
@pytest.mark.django_db
def test_erasure_allowed_opens_the_trigger_for_its_block_only(event):
    with erasure_allowed(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET text = '[erased]' WHERE id = %s", [event.pk])
    assert CaseEvent.objects.get(pk=event.pk).text == "[erased]"
    with transaction.atomic():  # an outer transaction goes on after the block: the door is shut again
        with erasure_allowed(), connection.cursor() as cursor:
            cursor.execute("UPDATE cases_caseevent SET text = '[erased twice]' WHERE id = %s", [event.pk])
        _refused("UPDATE cases_caseevent SET text = 'later' WHERE id = %s", [event.pk])
    _refused("UPDATE cases_caseevent SET text = 'outside' WHERE id = %s", [event.pk])
    assert CaseEvent.objects.get(pk=event.pk).text == "[erased twice]"


@postgresql_only
@pytest.mark.django_db
def test_an_error_inside_erasure_rolls_back_and_shuts_the_door(event):
    with pytest.raises(RuntimeError), erasure_allowed():
        CaseEvent.objects.filter(pk=event.pk).update(text="half")
        raise RuntimeError("stop")
    assert CaseEvent.objects.get(pk=event.pk).text != "half"
    _refused("UPDATE cases_caseevent SET text = 'x' WHERE id = %s", [event.pk])
