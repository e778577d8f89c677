"""The demo of Kabupaten Siak, built by calling the services a user's action calls.

A fixed random seed makes every run the same; every step first looks for what it
would create, so running it again adds nothing.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from marketplace.services import ProductData, product_create
from shops.models import Bumkam, Kampung
from shops.services import (
    bumkam_add_manager,
    bumkam_approve,
    bumkam_create,
    producer_create,
    regency_setup,
)

from ..models import NewsPage, ServicePage
from ..services import editor_group_name, kampung_site_ensure, news_publish, portal_ensure, service_publish
from .data import NEWS, PRODUCTS, SERVICES, SHOPS
from .pictures import product_picture

SEED = 2026
REGENCY_CODE = "14.08"
DEMO_PASSWORD = "pasar-kampung-2026"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    email: str
    password: str = DEMO_PASSWORD


LOGINS = [
    DemoLogin("Admin kabupaten", "admin", "admin@siakkab.test"),
    DemoLogin("Pengelola BUMKam Bunga Raya Sejahtera", "pengelola.bungaraya", "bungaraya@siakkab.test"),
    DemoLogin("Pengelola BUMKam Kerinci Kanan Makmur", "pengelola.kerincikanan", "kerincikanan@siakkab.test"),
    DemoLogin("Editor situs Kampung Bunga Raya", "editor.bungaraya", "editor.bungaraya@siakkab.test"),
]


def load_demo(*, stdout=None) -> list[DemoLogin]:
    rng = random.Random(SEED)
    setup = regency_setup(code=REGENCY_CODE)
    admin = _user(LOGINS[0], is_staff=True, is_superuser=True)
    portal_ensure(regency_name=setup.regency.name)
    product_keys = list(PRODUCTS)
    for index, (code, shop_name, flagship, producers) in enumerate(SHOPS):
        kampung = Kampung.objects.get(code=code)
        with transaction.atomic():
            home = kampung_site_ensure(kampung=kampung)
            if not NewsPage.objects.descendant_of(home).exists():
                _village_pages(rng, home=home, kampung=kampung, owner=admin)
            if not Bumkam.objects.filter(kampung=kampung).exists():
                others = rng.sample([k for k in product_keys if k != flagship], 5 + index % 3)
                _shop(rng, kampung=kampung, name=shop_name, flagship=flagship, others=others,
                      producers=producers, admin=admin)
        if stdout:
            stdout.write(f"  {kampung}: {shop_name}")
    _demo_roles()
    return LOGINS


def _user(login: DemoLogin, **flags):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=login.username, defaults={"email": login.email, **flags})
    if created:
        user.set_password(login.password)
        user.save()
    return user


def _village_pages(rng, *, home, kampung, owner):
    today = datetime.date(2026, 11, 20)
    names = {"kampung": kampung.name}
    for days_ago, (title, summary, paragraphs) in zip((2, 9, 23), rng.sample(NEWS, 3)):
        news_publish(
            home=home, owner=owner, date=today - datetime.timedelta(days=days_ago),
            title=title.format(**names), summary=summary.format(**names),
            paragraphs=[p.format(**names) for p in paragraphs],
        )
    location = f"Kantor Penghulu {kampung.name}, Kecamatan {kampung.kecamatan.name}"
    for title, requirements, steps, duration in SERVICES:
        service_publish(home=home, owner=owner, title=title, requirements=requirements,
                        steps=steps, duration=duration, fee=0, location=location)
    home.profile = (f"<p>{kampung} berada di Kecamatan {kampung.kecamatan.name}, Kabupaten Siak, Riau. "
                    "Warganya bertani, berkebun dan mengolah hasil bumi menjadi produk unggulan kampung.</p>")
    home.address = f"Jl. Raya {kampung.name} No. 1, Kecamatan {kampung.kecamatan.name}"
    home.phone = f"0764-{rng.randrange(20000, 29999)}"
    home.whatsapp = f"62812{rng.randrange(10000000, 99999999)}"
    home.save_revision(user=owner).publish(user=owner)


def _shop(rng, *, kampung, name, flagship, others, producers, admin):
    bumkam = bumkam_create(
        kampung=kampung, name=name, acting_user=admin,
        story=f"{name} menampung hasil UMKM {kampung} dan menjualnya ke seluruh Indonesia.",
        whatsapp=f"62813{rng.randrange(10000000, 99999999)}",
        pickup_address=f"Kantor BUMKam, {kampung}, Kecamatan {kampung.kecamatan.name}",
    )
    bumkam_approve(bumkam=bumkam, acting_user=admin)
    umkm = [producer_create(bumkam=bumkam, name=p, owner_name="") for p in producers]
    for key in [flagship, *others]:
        title, category, price, weight, halal, pirt, description = PRODUCTS[key]
        sku = f"{kampung.code}-{key}"
        data = ProductData(
            title=title, description=description, category=category,
            price=price + rng.choice([0, 0, 1000, 2000, -1000]) * (price > 20000),
            stock=rng.randrange(5, 120), weight_grams=weight, sku=sku,
            producer=rng.choice(umkm), is_flagship=key == flagship,
            halal_number=f"ID{rng.randrange(10**13, 10**14)}" if halal else "",
            pirt_number=f"{rng.randrange(10**14, 10**15)}-{rng.randrange(10, 30)}" if pirt else "",
        )
        product_create(bumkam=bumkam, data=data, acting_user=admin,
                       image=product_picture(title=title, category=category, seed=sku.replace(".", "")))


def _demo_roles():
    dashboard = Permission.objects.get(content_type__app_label="partner", codename="dashboard_access")
    for login, code in ((LOGINS[1], "14.08.08.2001"), (LOGINS[2], "14.08.07.2001")):
        manager = _user(login)
        manager.user_permissions.add(dashboard)
        bumkam_add_manager(bumkam=Bumkam.objects.get(kampung__code=code), user=manager)
    from django.contrib.auth.models import Group

    editor = _user(LOGINS[3])
    editor.groups.add(Group.objects.get(name=editor_group_name(Kampung.objects.get(code="14.08.08.2001"))))
