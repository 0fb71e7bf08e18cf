"""The framework's ceiling: a bare Flask "hello" served with the same gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
