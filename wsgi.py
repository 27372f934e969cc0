"""WSGI entry point: `gunicorn wsgi:app`."""

import os

from supervise import create_app

app = create_app(os.environ.get("SUPERVISE_CONFIG", "default"))
