"""The demo of Kabupaten Siak, built by calling the services a user's action calls.

A fixed random seed makes every run the same; every step first looks for what it
would create, so running it again adds nothing.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from marketplace.catalogue.services import (
    ProductData,
    category_ensure,
    product_create,
    sku_for,
)
from shops.models import Bumkam, Kampung
from shops.services import (
    bumkam_add_manager,
    bumkam_approve,
    bumkam_create,
    producer_create,
    regency_setup,
)

from ..models import BudgetLine, NewsPage, ProfilePage, TransparencyPage
from ..services import (
    kampung_site_ensure,
    news_publish,
    page_publish,
    portal_ensure,
    service_publish,
    village_editor_add,
)
from .data import AUTHORS, BUDGET, NEWS, PRODUCTS, SERVICES, SHOPS
from .letters import letters_demo
from .pictures import product_picture, village_picture

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
    admin = _user(LOGINS[0], is_staff=True, is_superuser=True)
    portal_ensure(regency_name="Kabupaten Siak")
    regency_setup(code=REGENCY_CODE)  # every new kampung gets its site tree (cms hooks in)
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
    letters_demo(operator=get_user_model().objects.get(username=LOGINS[3].username), admin=admin)
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
    for days_ago, (title, summary, paragraphs, tags) in zip((2, 9, 23), rng.sample(NEWS, 3)):
        news_publish(
            home=home, owner=owner, date=today - datetime.timedelta(days=days_ago),
            title=title.format(**names), summary=summary.format(**names),
            paragraphs=[p.format(**names) for p in paragraphs], author=rng.choice(AUTHORS), tags=tags,
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
    home.hero_image = _image(title=f"Lanskap {kampung}", picture=village_picture(seed=kampung.slug),
                             collection_name=str(kampung))
    page_publish(page=home, user=owner)
    _profile(rng, home=home, kampung=kampung, owner=owner)
    _budget(rng, home=home, owner=owner)


def _image(*, title, picture, collection_name):
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    collection = Collection.objects.filter(name=collection_name).first() or Collection.get_first_root_node()
    return get_image_model().objects.create(title=title, file=picture, collection=collection)


def _profile(rng, *, home, kampung, owner):
    profile = ProfilePage.objects.child_of(home).get()
    male, female = rng.randrange(900, 2600), rng.randrange(900, 2600)
    profile.population_male, profile.population_female = male, female
    profile.population = male + female
    profile.households = (male + female) // 4
    profile.area_km2 = Decimal(rng.randrange(1500, 9000)) / 100
    profile.history = [("paragraph", f"<p>{kampung} dibuka oleh para perantau di tepi Sungai Siak. "
                                     "Nama kampung diambil dari pohon dan sungai yang menjadi penanda para pendiri.</p>")]
    profile.geography = (f"<p>{kampung} terletak di dataran rendah Kecamatan {kampung.kecamatan.name}, "
                         "dengan lahan sawah, kebun kelapa sawit, karet dan nenas serta aliran anak sungai.</p>")
    profile.potential = [("paragraph", "<p>Pertanian, perikanan sungai, olahan pangan UMKM dan wisata budaya Melayu.</p>")]
    page_publish(page=profile, user=owner)


def _budget(rng, *, home, owner):
    page = TransparencyPage.objects.child_of(home).get()
    scale = rng.uniform(0.8, 1.3)
    for year, shares in ((2025, (0.10, 0.40, 0.30, 0.17)), (2026, (0.10, 0.40, 0.28, 0.0))):
        for kind, name, amount in BUDGET:
            planned = round(amount * scale, -3)
            quarters = [round(planned * share * rng.uniform(0.85, 1.05), -3) for share in shares]
            BudgetLine.objects.create(page=page, year=year, kind=kind, name=name, planned=planned,
                                      realised_q1=quarters[0], realised_q2=quarters[1],
                                      realised_q3=quarters[2], realised_q4=quarters[3])
    page.intro = "<p>Anggaran Pendapatan dan Belanja Kampung (APBKam) dan realisasinya per triwulan.</p>"
    page_publish(page=page, user=owner)


# Per kg and minimum by zone (kecamatan, kabupaten, provinsi, luar provinsi), in the range of
# what local couriers and JNE/J&T ask from Siak. One rng.choice, as the single flat rate had.
COURIER_TIERS = [
    ((6000, 10000), (9000, 10000), (14000, 15000), (25000, 25000)),
    ((7000, 10000), (10000, 12000), (15000, 15000), (27000, 27000)),
    ((8000, 10000), (12000, 12000), (18000, 18000), (30000, 30000)),
]


def _courier_rates(tier) -> dict:
    zones = ("kecamatan", "regency", "province", "elsewhere")
    return {f"courier_{kind}_{zone}": value for zone, rate in zip(zones, tier)
            for kind, value in zip(("per_kg", "minimum"), rate)}


def _shop(rng, *, kampung, name, flagship, others, producers, admin):
    bumkam = bumkam_create(
        kampung=kampung, name=name, acting_user=admin,
        story=f"{name} menampung hasil UMKM {kampung} dan menjualnya ke seluruh Indonesia.",
        whatsapp=f"62813{rng.randrange(10000000, 99999999)}",
        pickup_address=f"Kantor BUMKam, {kampung}, Kecamatan {kampung.kecamatan.name}",
        bank_name=rng.choice(["Bank Riau Kepri Syariah", "BRI", "BNI", "Bank Mandiri"]),
        bank_account_number=str(rng.randrange(10**9, 10**10)), bank_account_holder=name,
        pickup_hours="Senin-Sabtu 08.00-16.00",
        **_courier_rates(rng.choice(COURIER_TIERS)),
        allows_cash_on_delivery=rng.random() < 0.5,
    )
    bumkam_approve(bumkam=bumkam, acting_user=admin)
    umkm = [producer_create(bumkam=bumkam, name=p, owner_name="") for p in producers]
    for key in [flagship, *others]:
        title, category, price, weight, halal, pirt, description = PRODUCTS[key]
        sku = sku_for(bumkam=bumkam, name=key)  # "14.08.08.2001-beras": the key is the short name
        data = ProductData(
            title=title, description=description, category=category_ensure(breadcrumb=category, acting_user=admin),
            price=price + rng.choice([0, 0, 1000, 2000, -1000]) * (price > 20000),
            stock=rng.randrange(5, 120), weight_grams=weight, sku=sku,
            producer=rng.choice(umkm), is_flagship=key == flagship,
            halal_number=f"ID{rng.randrange(10**13, 10**14)}" if halal else "",
            pirt_number=f"{rng.randrange(10**14, 10**15)}-{rng.randrange(10, 30)}" if pirt else "",
        )
        product_create(bumkam=bumkam, data=data, acting_user=admin,
                       image=product_picture(title=title, category=category, seed=sku.replace(".", "")))


def _demo_roles():
    for login, code in ((LOGINS[1], "14.08.08.2001"), (LOGINS[2], "14.08.07.2001")):
        bumkam_add_manager(bumkam=Bumkam.objects.get(kampung__code=code), user=_user(login))
    editor = _user(LOGINS[3])
    village_editor_add(kampung=Kampung.objects.get(code="14.08.08.2001"), user=editor)
