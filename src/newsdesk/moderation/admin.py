"""Back office: banned phrases and bans are editable; the audit log is read-only."""

import re

from django import forms
from django.contrib import admin

from newsdesk.moderation.models import (
    Ban,
    BannedPhrase,
    ClassifierState,
    ModerationAction,
    Report,
    TrainingExample,
)


class BannedPhraseForm(forms.ModelForm):
    class Meta:
        model = BannedPhrase
        fields = ["text", "match"]

    def clean(self):
        data = super().clean()
        if data.get("match") == BannedPhrase.Match.PATTERN:
            try:
                re.compile(data.get("text", ""))
            except re.error as exc:
                raise forms.ValidationError(f"Not a valid regular expression: {exc}") from exc
        return data


@admin.register(BannedPhrase)
class BannedPhraseAdmin(admin.ModelAdmin):
    form = BannedPhraseForm
    list_display = ("text", "match", "created_at")
    list_filter = ("match",)
    search_fields = ("text",)


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ("kind", "value", "shadow", "reason", "until", "created_at")
    list_filter = ("kind", "shadow")
    search_fields = ("value", "reason")
    raw_id_fields = ("created_by",)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("comment", "reporter", "reason", "created_at", "resolved_at")
    list_filter = ("reason",)
    raw_id_fields = ("comment", "reporter")


@admin.register(TrainingExample)
class TrainingExampleAdmin(admin.ModelAdmin):
    list_display = ("label", "origin", "trained", "created_at")
    list_filter = ("label", "origin", "trained")
    search_fields = ("text",)
    raw_id_fields = ("comment",)


@admin.register(ClassifierState)
class ClassifierStateAdmin(admin.ModelAdmin):
    list_display = ("version", "updated_at")
    readonly_fields = ("model_json", "version", "updated_at")


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """Append-only: nobody edits or deletes history, not even a superuser."""

    list_display = ("when", "who", "action", "comment", "state_before", "state_after")
    list_filter = ("action",)
    search_fields = ("detail",)
    readonly_fields = ("who", "when", "action", "comment", "state_before", "state_after", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
