"""WSGI entry point: `flask --app app run`, `gunicorn app:app`."""

from crisisdesk import create_app

app = create_app()
