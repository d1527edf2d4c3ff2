"""Our additions to the Wagtail admin: its small stylesheet, and the two-factor sign-in pages."""

from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks

from home import two_factor


@hooks.register("insert_global_admin_css")
def admin_stylesheet():
    # A file, never inline style: the admin's Content-Security-Policy allows no inline style either.
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("two-factor/", two_factor.verify, name="two_factor_verify"),
        path("two-factor/set-up/", two_factor.set_up, name="two_factor_set_up"),
        path("two-factor/backup-codes/", two_factor.backup_codes, name="two_factor_backup_codes"),
    ]
