from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from shequ.accounts.models import ApiToken, User

if TYPE_CHECKING:
    # The admin classes are generic only in the stubs; at run time they take no parameters.
    _UserAdmin = UserAdmin[User]
    _TokenAdmin = admin.ModelAdmin[ApiToken]
else:
    _UserAdmin = UserAdmin
    _TokenAdmin = admin.ModelAdmin


@admin.register(User)
class ShequUserAdmin(_UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("社区系统", {"fields": ("display_name", "role", "unit")}))
    list_display = ("username", "display_name", "role", "unit", "is_superuser")


@admin.register(ApiToken)
class ApiTokenAdmin(_TokenAdmin):
    list_display = ("name", "user", "prefix", "created_at", "revoked")
    readonly_fields = ("key_hash", "prefix")
