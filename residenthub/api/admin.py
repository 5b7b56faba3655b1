from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from residenthub.accounts import permissions
from residenthub.core.actions import ActionError, Actor

from . import keys
from .models import ApiKey, WebhookDelivery, WebhookSubscription


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "scopes", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "scopes", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # Once made, a key stays bound to the user it was made for.
        return [*self.readonly_fields, "user"] if obj is not None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        user = request.user

        def clean_user(form_self):
            chosen = form_self.cleaned_data.get("user")
            if chosen is not None and chosen.pk != user.pk and not permissions.can_administer_keys(user):
                raise ValidationError("You can create keys only for yourself. Ask a key administrator.")
            return chosen

        if "user" in form.base_fields:
            form.clean_user = clean_user
        return form

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            key, raw = keys.create_key(obj.name, obj.scopes or None, obj.user, by=Actor.from_request(request))
        except ActionError as exc:  # the form check above normally catches this first
            messages.error(request, str(exc))
            return
        obj.pk, obj.prefix, obj.key_hash = key.pk, key.prefix, key.key_hash
        messages.warning(request, f"The key for {key.name} is {raw} — copy it now; it is not shown again.")

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request, queryset):
        for key in queryset:
            keys.revoke(key, by=Actor.from_request(request))
        messages.success(request, f"Revoked {queryset.count()} key(s).")

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: cases name the client that sent them


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "active", "consecutive_failures", "disabled_at", "disabled_reason"]
    readonly_fields = ["consecutive_failures", "disabled_at", "disabled_reason"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "subscription", "status", "attempts", "response_status", "created_at"]
    list_filter = ["status", "event"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False
