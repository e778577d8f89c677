"""Goods listed by BUMKam managers, on top of Oscar's catalogue."""
