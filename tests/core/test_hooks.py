"""core.hooks: a lower app asks, the apps above answer (docs/architecture.md); and the real hooks are
answered once the apps are ready, so the portal and identity need not import the apps above them."""

from __future__ import annotations

from residenthub.core.hooks import Hook


def test_answers_come_in_registration_order_without_the_nones():
    hook = Hook("test.answers")
    hook.register(lambda x: None)
    hook.register(lambda x: {"a": x, "b": 1})
    hook.register(lambda x: {"b": 2})
    assert hook.results(5) == [{"a": 5, "b": 1}, {"b": 2}]
    assert hook.merged(5) == {"a": 5, "b": 2}  # the later app's key wins
    assert hook.first(5) == {"a": 5, "b": 1}


def test_first_stops_at_the_first_answer():
    hook = Hook("test.first")
    called = []
    hook.register(lambda: called.append("one") or "/pay/")
    hook.register(lambda: called.append("two") or "/other/")
    assert hook.first() == "/pay/"
    assert called == ["one"]


def test_nothing_registered_answers_nothing():
    hook = Hook("test.empty")
    assert (hook.results(), hook.first(), hook.merged(), hook.items()) == ([], None, {}, [])


def test_a_function_registers_once_and_can_be_removed():
    hook = Hook("test.once")

    def rows(n):
        return list(range(n))

    hook.register(rows)
    hook.register(rows)  # ready() again
    assert hook.items(3) == [0, 1, 2]
    hook.unregister(rows)
    assert hook.items(3) == []
    hook.unregister(rows)  # not there: nothing to do
    assert "test.once: 0 registered" in repr(hook)


def test_the_apps_above_answer_the_portal_and_identity_hooks():
    from residenthub.foi.queries import person_timeline_items
    from residenthub.identity import hooks as identity_hooks
    from residenthub.payments import journey
    from residenthub.portal import hooks as portal_hooks
    from residenthub.residents import queries as residents

    assert journey.check_context in portal_hooks.check_context.registered
    assert journey.after_submission in portal_hooks.after_submission.registered
    assert residents.contact_prefill in portal_hooks.contact_prefill.registered
    assert residents.address_answer in portal_hooks.address_answer.registered
    assert person_timeline_items in identity_hooks.timeline_items.registered
    assert residents.preferences in identity_hooks.preferences.registered
    assert residents.flags in identity_hooks.flags.registered
    assert identity_hooks.flag_kinds.items() == [
        ("vulnerable", "May be vulnerable"),
        ("interpreter", "Interpreter needed"),
        ("adjustments", "Reasonable adjustments"),
    ]
