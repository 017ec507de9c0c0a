"""The daily report: each domain's KPIs from the semantic layer, their change on the previous period, and charts,
written as HTML (and a PDF printed by headless Chromium) to data/reports/, and sent through the alert channel."""
