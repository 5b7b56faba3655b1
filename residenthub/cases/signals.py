"""Signals other apps listen to, so cases need not know about them.

``case_created`` is sent after the transaction that created a case commits, with ``case``.
The single resident view uses it for its point-of-entry duplicate check.
"""

from django.dispatch import Signal

case_created = Signal()
# Sent after the transaction that closed a case commits, with ``case`` ("how did we do?" listens).
case_closed = Signal()
# Sent inside the transaction of a change the resident is told about by post (their choice), with
# ``case``, ``kind``, ``text``, ``status_label`` and ``link``: the letters app queues the letter.
letter_wanted = Signal()
