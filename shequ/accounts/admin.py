from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from shequ.accounts.models import ApiToken, User


@admin.register(User)
class ShequUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("社区系统", {"fields": ("display_name", "role", "unit")}))
    list_display = ("username", "display_name", "role", "unit", "is_superuser")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "revoked")
    readonly_fields = ("key_hash", "prefix")
