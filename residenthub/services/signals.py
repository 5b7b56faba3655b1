"""Signals higher apps listen to, so that the catalogue need not know about them.

``catalogue_loaded`` is sent inside the transaction that loaded the catalogue, with ``services``
(the validated service definitions); payments keeps each service's fee from it.
"""

from django.dispatch import Signal

catalogue_loaded = Signal()
