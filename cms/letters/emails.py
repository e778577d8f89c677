"""The resident's mail at each step: the status and the link, no personal data. Stub."""


def status_mail(*, letter_request_id: int) -> None:
    pass
