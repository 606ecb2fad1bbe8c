from django.contrib import admin

from newsdesk.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "email_confirmed", "notify_replies"]
    list_filter = ["email_confirmed", "notify_replies"]
    search_fields = ["user__username", "user__email", "display_name"]
    raw_id_fields = ["user"]
