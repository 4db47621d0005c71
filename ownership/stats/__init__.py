"""Statistics for the customer-ownership platform: pure numpy and scipy.

Nothing in this package imports Django, Wagtail, DRF or the project's apps.
"""
