"""The one error a person is shown: every stage raises it for something the buyer, the
manager or the admin must change or cannot do, with the message in their language."""


class UserError(ValueError):
    """Something the user must change or cannot do; the message says what, in their language."""
