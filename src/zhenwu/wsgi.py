import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenwu.settings")
application = get_wsgi_application()

# A server with the wrong key would answer every reveal and export with an error: it does not start.
from zhenwu.households.keycheck import check_field_key  # noqa: E402  (needs the apps loaded above)

check_field_key()

# gunicorn loads this module once, before it forks its workers (--preload): the connection the check
# opened must not be inherited by every worker.
from django.db import connections  # noqa: E402

connections.close_all()
