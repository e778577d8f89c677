"""The table of a shop order's moves: who may make each, and what each does.

Plain data without models, so that settings can build Oscar's status pipeline from it and
no second list of statuses can drift from it; `services.shop_order_advance` carries it out.
"""

from dataclasses import dataclass

from ..constants import Actor, OrderStatus


class Stock:
    CONSUME = "consume"  # the goods leave the shelf: allocation becomes a sale
    RELEASE = "release"  # the goods go back on sale: allocation cancelled


@dataclass(frozen=True)
class Move:
    actors: frozenset
    stock: str = ""
    needs_tracking: bool = False  # a courier order ships only with its tracking number
    stamps_delivered: bool = False  # the return window, and so the statement, counts from delivered_at
    tells_shop: bool = False  # a new paid order: the shop's managers hear of it by e-mail


S, A = OrderStatus, Actor
# The system is payment (a webhook, a transfer confirmed by the regency admin), expiry and a
# full refund; the buyer acts from their own order page; the regency admin may do what a shop
# may, on its behalf. A manager never moves an order that is not paid (or COD). The buyer is
# told of every move.
MOVES: dict[tuple[str, str], Move] = {
    (S.AWAITING_PAYMENT, S.PROCESSING): Move(frozenset({A.SYSTEM}), tells_shop=True),
    (S.AWAITING_PAYMENT, S.CANCELLED): Move(frozenset({A.SYSTEM, A.BUYER, A.REGENCY}), stock=Stock.RELEASE),
    (S.AWAITING_PAYMENT, S.EXPIRED): Move(frozenset({A.SYSTEM}), stock=Stock.RELEASE),
    (S.PROCESSING, S.PACKED): Move(frozenset({A.MANAGER, A.REGENCY})),
    (S.PROCESSING, S.CANCELLED): Move(frozenset({A.SYSTEM, A.MANAGER, A.REGENCY}), stock=Stock.RELEASE),
    (S.PACKED, S.SHIPPED): Move(frozenset({A.MANAGER, A.REGENCY}), stock=Stock.CONSUME, needs_tracking=True),
    (S.PACKED, S.CANCELLED): Move(frozenset({A.SYSTEM, A.MANAGER, A.REGENCY}), stock=Stock.RELEASE),
    (S.SHIPPED, S.DELIVERED): Move(frozenset({A.MANAGER, A.REGENCY, A.BUYER}), stamps_delivered=True),
    (S.DELIVERED, S.COMPLETED): Move(frozenset({A.SYSTEM, A.BUYER, A.REGENCY})),
}

# Every status of the table, in OrderStatus's order (the order the buyer meets them; the
# dashboard's status filter lists them so).
_DECLARED = [value for name, value in vars(OrderStatus).items() if name.isupper() and isinstance(value, str)]
STATUSES: tuple[str, ...] = tuple(sorted({status for move in MOVES for status in move}, key=_DECLARED.index))
# Orders that ended before leaving the shop: their stock went back on sale.
ENDED_UNSENT: frozenset = frozenset(new for (_old, new), move in MOVES.items() if move.stock == Stock.RELEASE)


def next_statuses(status: str, actor: str | None = None) -> list[str]:
    """Where an order may go from `status`, by anyone or by `actor`."""
    return [new for (old, new), move in MOVES.items() if old == status and (actor is None or actor in move.actors)]


def oscar_pipeline() -> dict[str, list[str]]:
    """OSCAR_ORDER_STATUS_PIPELINE: Oscar's own check in Order.set_status follows the table."""
    return {status: next_statuses(status) for status in STATUSES}
