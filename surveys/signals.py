"""Signals through which surveys tell the layers above that something happened."""

from django.dispatch import Signal

# Sent after the transaction that closed a wave commits; ``wave_id`` says which.
# Reports listen to make the wave's final release.
wave_closed = Signal()
