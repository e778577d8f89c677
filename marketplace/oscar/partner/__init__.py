"""Oscar's partner app, forked for one behaviour: a shop that a regency admin has
not approved (or has suspended) sells nothing, whichever page or URL a buyer
reaches its products by. That rule lives in `strategy.py`; the models are Oscar's.
"""
