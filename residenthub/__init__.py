"""Resident Hub: a digital front door and single resident view for UK councils."""

from .celery import app as celery_app

__all__ = ["celery_app"]
