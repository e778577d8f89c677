from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_class

EmailUserCreationForm = get_class("customer.forms", "EmailUserCreationForm")


class RegistrationForm(EmailUserCreationForm):
    """Oscar's registration form without its "A user with that email address already
    exists": that sentence told anyone which addresses have an account. Whether the
    address is taken is decided by `account_register`, which answers both alike."""

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])
