"""Signals other apps listen to, so cases need not know about them.

``case_created`` is sent after the transaction that created a case commits, with ``case``.
The single resident view uses it for its point-of-entry duplicate check.
"""

from django.dispatch import Signal

case_created = Signal()
# Sent after the transaction that closed a case commits, with ``case`` ("how did we do?" listens).
case_closed = Signal()
