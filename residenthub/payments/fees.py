"""Fees as data: the rules live with the catalogue (``services.fees``), which validates each service's
``fee`` block when it is loaded; payments prices a request with them (ADR 0111)."""

from residenthub.services.fees import (  # noqa: F401 - this app's callers import them from here
    CONCESSION_KEYS,
    FEE_KEYS,
    MAX_PENCE,
    VAT_RATE_PERCENT,
    Line,
    Quote,
    pounds,
    quote,
    to_pence,
    validate_fee,
    vat_in,
)
