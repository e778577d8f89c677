"""Customer accounts: Oscar's login, registration, password reset and stock alerts,
closed against account enumeration and against being used to mail strangers.

Not a fork of Oscar's customer app (which would bring its models and migrations into
our care): four of its views are subclassed here and served at their own addresses
ahead of Oscar's (marketplace/accounts/urls.py), so `customer:login`,
`customer:register`, `customer:alert-create` and `password-reset` reach them.
"""
