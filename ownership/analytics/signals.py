"""Signals through which releases tell the layers above that something happened."""

from django.dispatch import Signal

# Sent after the transaction that stored a release commits, with
# ``release_id``, ``final`` and ``announce`` (false for the demo's past
# waves). The results pages' layer listens to tell department heads when a
# wave's final results are out.
release_made = Signal()
