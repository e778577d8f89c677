from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from oscar.apps.customer.signals import user_registered
from oscar.core.loading import get_class, get_model

from ..throttle import mail_allowed, mail_refused
from .forms import RegistrationForm
from .services import account_register

User = get_user_model()
AccountAuthView = get_class("customer.views", "AccountAuthView")
AccountRegistrationView = get_class("customer.views", "AccountRegistrationView")
ProductAlertCreateView = get_class("customer.alerts.views", "ProductAlertCreateView")
PasswordResetForm = get_class("customer.forms", "PasswordResetForm")


def _register(request, form):
    """Both registration pages end here: the same answer whether or not the address
    already has an account (see account_register), within the mail limits."""
    if not mail_allowed(request, email=form.cleaned_data["email"], purpose="account"):
        return mail_refused(request)
    account_register(form=form)
    return redirect("accounts:check-email")


class LoginRegistrationView(AccountAuthView):
    """Oscar's login-or-register page; login is throttled by django-axes through the
    `request` Oscar's form already passes to authenticate()."""

    registration_form_class = RegistrationForm

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid():
            return _register(self.request, form)
        return self.render_to_response(self.get_context_data(registration_form=form))


class RegistrationView(AccountRegistrationView):
    form_class = RegistrationForm

    def form_valid(self, form):
        return _register(self.request, form)


def check_email(request):
    return render(request, "marketplace/accounts/check_email.html")


def activate(request, uidb64, token):
    """The link of the confirmation mail: the account becomes active and is signed in."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or user.is_active or not default_token_generator.check_token(user, token):
        return render(request, "marketplace/accounts/activation_invalid.html", status=400)
    user.is_active = True
    user.save(update_fields=["is_active"])
    user_registered.send_robust(sender=activate, request=request, user=user)
    login(request, user, backend="oscar.apps.customer.auth_backends.EmailBackend")
    messages.success(request, _("Akun Anda sudah aktif. Selamat datang!"))
    return redirect(settings.LOGIN_REDIRECT_URL)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page with Oscar's form, as Oscar serves it, but limited per
    address and per client so that it cannot be used to flood a mailbox."""

    form_class = PasswordResetForm
    success_url = reverse_lazy("password-reset-done")
    template_name = "oscar/registration/password_reset_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:  # as Oscar's login_forbidden
            return redirect(settings.LOGIN_REDIRECT_URL)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if not mail_allowed(self.request, email=form.cleaned_data["email"], purpose="account"):
            return mail_refused(self.request)
        return super().form_valid(form)


class AlertCreateView(ProductAlertCreateView):
    """"Beri tahu saya saat stok ada": an anonymous visitor names any address, so every
    such request counts against that address and the client, valid or not. Only for
    products a buyer can see: Oscar's view takes any product, so it would create an alert
    on, and show the title of, a shop's hidden product."""

    def dispatch(self, request, *args, **kwargs):
        get_object_or_404(get_model("catalogue", "Product").objects.browsable(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        email = request.POST.get("email", "")
        if not request.user.is_authenticated and email:
            if not mail_allowed(request, email=email, purpose="alert"):
                return mail_refused(request)
        return super().post(request, *args, **kwargs)


