"""The Content-Security-Policy header: settings.CONTENT_SECURITY_POLICY for the public site, and for the Wagtail
admin the same policy with the few allowances it cannot work without (ADMIN_ALLOWANCES)."""

from csp.middleware import CSPMiddleware
from django.urls import reverse

# What the Wagtail 8 admin needs beyond the public policy, found by opening its pages in Chromium and collecting
# every violation (tests/browser/test_content_security_policy.py checks them still):
# - script-src 'unsafe-inline': Wagtail starts its widgets with small inline scripts written into each form
#   (initDateChooser, new SnippetChooser / PageChooser / ImageChooser, new InlinePanel); without them the date
#   pickers, choosers and "Add" buttons of the page and snippet editors do nothing. They differ on every form,
#   so hashes cannot list them, and Wagtail gives them no nonce.
# - style-src-elem 'unsafe-inline': the rich text editor (Draftail) adds a <style> element for its blocks.
# Not allowed, even in the admin: 'unsafe-eval', inline style="" attributes (only wagtail-localize's note on a
# synchronised page uses one, for 20px of padding), other origins, plugins and being framed by anything else.
ADMIN_ALLOWANCES = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src-elem": ["'self'", "'unsafe-inline'"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's allowances on responses under the admin's address."""

    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            # Wagtail renders a preview by sending a made-up request for the page's public address through the
            # middleware; the admin request around it sets the admin's policy on what the browser receives.
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(reverse("wagtailadmin_home")):
            allowances = dict(ADMIN_ALLOWANCES)
            if response.get("X-Frame-Options") == "SAMEORIGIN":
                # Wagtail's preview views (@xframe_options_sameorigin) are shown in a frame of the page editor.
                allowances["frame-ancestors"] = ["'self'"]
            # A view's own csp_replace decorator, if any, still wins over these.
            parts.replace = {**allowances, **(parts.replace or {})}
        return parts
