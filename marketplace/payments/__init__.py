"""Money in and back out through payment providers: Stripe for cards, and the webhooks
that tell us what Stripe holds. Bank transfer and cash on delivery need no provider code."""
