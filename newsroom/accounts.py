"""
Signing in to the admin: throttling (django-axes), the second factor (django-otp,
TOTP) and the client's address that both, and the audit log, go by.
"""

import ipaddress
import time
from base64 import b32encode

import segno
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.signals import user_logged_in
from django.db import DatabaseError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from project.middleware import database_unavailable, database_went_away


def client_ip(request):
    """
    The reader's or editor's address. Behind nginx on this machine the connection
    comes from the proxy, which names the client last in X-Forwarded-For; that
    header is believed only from a proxy in NEWSROOM_TRUSTED_PROXIES (the list
    gunicorn believes, FORWARDED_ALLOW_IPS), since anyone can send it.
    """
    address = request.META.get("REMOTE_ADDR", "") or ""
    if not is_trusted_proxy(address):
        return address or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    # The nearest hop not itself a trusted proxy: addresses further left were
    # written by whoever sent the request and prove nothing.
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        if hop and is_trusted_proxy(hop):
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            break
    return address or None


def is_trusted_proxy(address):
    """As gunicorn reads FORWARDED_ALLOW_IPS: addresses, networks (10.0.0.0/8), or "*"."""
    for entry in settings.NEWSROOM_TRUSTED_PROXIES:
        if entry == "*" or entry == address:
            return True
        if "/" in entry:
            try:
                if ipaddress.ip_address(address) in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
    return False


def is_editor(user):
    return user.is_superuser or user.groups.filter(name="Editors").exists()


def needs_second_factor(user):
    """An editor or superuser without a confirmed device, where the setting requires one."""
    return (
        settings.NEWSROOM_EDITORS_NEED_2FA
        and user.is_staff
        and is_editor(user)
        and not user_has_device(user, confirmed=True)
    )


def locked_out(request, original_response=None, credentials=None):
    """The login page saying the account is locked and until when (AXES_LOCKOUT_CALLABLE)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    last_failure = (
        AccessAttempt.objects.filter(username=username, ip_address=client_ip(request))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    ) or timezone.now()
    until = last_failure + settings.AXES_COOLOFF_TIME
    message = _(
        "Too many wrong passwords: signing in as «%(username)s» from this address is "
        "locked until %(time)s. Try again then, or ask an administrator to unlock it."
    ) % {
        "username": username,
        "time": date_format(timezone.localtime(until), "SHORT_DATETIME_FORMAT"),
    }
    context = {
        **admin.site.each_context(request),
        "title": _("Log in"),
        "app_path": request.get_full_path(),
        "form": LoginForm(request, initial={"username": username}),
        "locked_out": message,
        REDIRECT_FIELD_NAME: reverse("admin:index"),
    }
    response = TemplateResponse(request, "admin/login.html", context, status=429)
    seconds = max(int((until - timezone.now()).total_seconds()), 1)
    response["Retry-After"] = str(seconds)
    return response.render()


class LoginForm(AdminAuthenticationForm):
    """The admin's login: the password, and the code from the app once one is set up."""

    otp_token = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
        help_text=gettext_lazy("Six digits; needed only if you set up two-step sign-in."),
    )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        devices = list(devices_for_user(user, confirmed=True))
        if not devices:
            return
        token = "".join(self.cleaned_data.get("otp_token", "").split())
        if not token:
            raise forms.ValidationError(
                _("Enter the six-digit code from your authenticator app."), code="otp_required"
            )
        for device in devices:
            if device.verify_is_allowed()[0] and device.verify_token(token):
                # Stored in the session when Django logs the user in (django_otp).
                user.otp_device = device
                return
        raise forms.ValidationError(
            _("The code is wrong or has expired. Enter the code your app shows now."),
            code="otp_invalid",
        )


def two_factor_setup(request):
    """
    Setting up one's own authenticator app: a QR code drawn here (segno, an SVG)
    and the secret as text, kept unconfirmed until a code from the app matches.
    """
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed:
        return TemplateResponse(
            request,
            "admin/two_factor_setup.html",
            {**admin.site.each_context(request), "title": _("Two-step sign-in"), "done": True},
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    error = ""
    if request.method == "POST":
        token = "".join(request.POST.get("otp_token", "").split())
        if not token.isdigit() or len(token) != device.digits:
            error = _("Enter the six digits your app shows.")
        elif not device.verify_token(token):
            error = _("That code does not match. Check the phone's clock and enter the new code.")
        else:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[SECOND_FACTOR] = "ok"
            return redirect(safe_next(request) or "admin:index")
    qr = segno.make(device.config_url, error="m")
    secret = b32encode(device.bin_key).decode()
    context = {
        **admin.site.each_context(request),
        "title": _("Two-step sign-in"),
        "required": needs_second_factor(user),
        # segno writes the SVG itself, from the device's own data; nothing else is in it.
        "qr_svg": mark_safe(qr.svg_inline(scale=5, title=_("QR code for the authenticator"))),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "error": error,
    }
    return TemplateResponse(request, "admin/two_factor_setup.html", context, status=200)


# What signing in found about the second factor, kept in the session so that no
# admin page pays a query for it: "ok", "needed" (an editor without a device, where
# one is required) or "unverified" (a device exists, this session did not use it).
SECOND_FACTOR = "newsroom_second_factor"
RENEWED = "newsroom_renewed"


def second_factor_state(user):
    if user_has_device(user, confirmed=True):
        return "ok" if getattr(user, "otp_device", None) is not None else "unverified"
    return "needed" if needs_second_factor(user) else "ok"


def note_second_factor(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SECOND_FACTOR] = second_factor_state(user)


user_logged_in.connect(note_second_factor, dispatch_uid="newsroom-second-factor")


class StaffSessionMiddleware:
    """
    What a staff session may do in the admin. An editor who must have a second
    factor and has none sees the set-up page before anything else; one who has a
    device but whose session did not use it signs in again. And the session lives
    on while it is used: renewed at most every RENEW_SECONDS (one write, not one
    per page), it ends SESSION_COOKIE_AGE after the last renewal.
    """

    RENEW_SECONDS = 300

    # Admin pages that stay reachable on the way (the set-up page is outside the admin's URLs).
    ALLOWED = {"logout", "login", "jsi18n"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces or match.url_name in self.ALLOWED:
            return None
        try:
            user = request.user
            if not user.is_authenticated or not user.is_staff:
                return None
            state = request.session.get(SECOND_FACTOR)
            if state is None:  # a session from before this check existed
                state = request.session[SECOND_FACTOR] = second_factor_state(user)
            now = int(time.time())
            if now - request.session.get(RENEWED, 0) >= self.RENEW_SECONDS:
                request.session[RENEWED] = now  # saved, with a new expiry
        except DatabaseError as error:
            if database_unavailable(error):
                return database_went_away(request, error)
            raise
        back = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        if state == "unverified":
            logout(request)
            return redirect(f"{reverse('admin:login')}?{back}")
        if state == "needed":
            return redirect(f"{reverse('two-factor-setup')}?{back}")
        return None


def safe_next(request):
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
