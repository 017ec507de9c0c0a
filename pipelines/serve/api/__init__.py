"""The read-only data API (`grandstand api`): the marts over HTTP, JSON or CSV, one router per domain.

Like the dashboards, every request opens the warehouse read-only for its own duration (never holding it between
requests, so a run can always take it), and falls back to the last good copy while a run writes.
"""
