"""``IPython.core.pylabtools`` for Pyloom: matplotlib < 3.9 asks it which GUI a backend needs
(none: Pyloom's backend is inline)."""

backend2gui: dict = {}
