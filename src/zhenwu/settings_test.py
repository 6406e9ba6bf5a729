"""Settings for the test suite: safe values for what production takes from the environment."""

import os

# A developer's .env (`make demo` writes one in the checkout) must not change the tests, nor the commands
# the tests run in child processes, which inherit this.
os.environ["ZHENWU_ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "zhenwu-test-suite-only-key-0123456789abcdefghijklmnop")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "zhenwu-test-suite-only-field-key-0123456789")

from zhenwu.settings import *  # noqa: F403

# Argon2 is deliberately slow; the suite creates hundreds of accounts. Production keeps Argon2 first.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Each test starts with an empty cache of its own process (tests/conftest.py clears it).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
