"""Signing in as the demo's people do: the shop by e-mail, Wagtail's admin by username."""

PASSWORD = "pasar-kampung-2026"


def sign_in_shop(context, live_url, email):
    page = context.new_page()
    page.goto(f"{live_url}/toko/accounts/login/")
    page.fill("#id_login-username", email)
    page.fill("#id_login-password", PASSWORD)
    page.click("button[name=login_submit]")
    page.wait_for_load_state()
    return page


def sign_in_admin(context, live_url, username):
    page = context.new_page()
    page.goto(f"{live_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/admin/")
    return page
