"""Reads of a basket: its lines grouped by the shop that sells them."""

from dataclasses import dataclass


@dataclass
class ShopPart:
    """The lines of a basket that one shop fulfils: shown grouped on the basket page, and
    at checkout handed to Oscar's OrderCreator, to which it looks like a basket."""

    basket: object
    lines: list

    is_empty = property(lambda self: not self.lines)
    offer_applications: tuple = ()

    @property
    def partner(self):
        return self.lines[0].stockrecord.partner

    @property
    def bumkam(self):
        return getattr(self.partner, "bumkam", None)

    def all_lines(self):
        return self.lines

    @property
    def subtotal(self) -> int:
        return int(sum(line.line_price_incl_tax or 0 for line in self.lines))

    @property
    def weight_grams(self) -> int:
        return sum((line.product.weight_grams or 0) * line.quantity for line in self.lines)

    def __getattr__(self, name):
        return getattr(self.basket, name)


def basket_by_shop(basket) -> list[ShopPart]:
    """The basket's lines grouped by shop (its Oscar partner), ordered by shop name."""
    parts = {}
    for line in basket.all_lines():
        parts.setdefault(line.stockrecord.partner_id, ShopPart(basket=basket, lines=[])).lines.append(line)
    return sorted(parts.values(), key=lambda part: part.partner.name)
