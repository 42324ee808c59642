"""Visit planning in the product: the team's week planned from the record, and its plan shown.

The planner itself is `outreach.planning` (pure Python, no Django). This app feeds it from
the record (`feed.py`), writes its plan as the team's `records.PlannedVisit` rows
(`services.py`) and shows it (`views.py`). See docs/decisions/0008-visit-planning-in-the-product.md.
"""
