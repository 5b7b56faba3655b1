"""Settings for the test suite: the production code path with inline jobs and fast hashing."""

import os

os.environ.setdefault("HUB_ENV", "test")

from .settings import *  # noqa: E402,F403

CELERY_TASK_ALWAYS_EAGER = True
JOBS_INLINE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
