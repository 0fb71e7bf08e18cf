"""One error family for the domain, mapped to HTTP in one place."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db


class DomainError(Exception):
    """A rule of the desk said no; `reason` is a stable machine-readable word."""

    status = 400
    code = "bad_request"

    def __init__(
        self, reason: str, message: str, field: str | None = None, *, code: str | None = None
    ):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.field = field
        if code is not None:
            self.code = code  # a refusal clients must tell apart by `code` alone (e.g. `replayed`)


class Unauthenticated(DomainError):
    status, code = 401, "unauthenticated"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class Conflict(DomainError):
    status, code = 409, "conflict"


class Invalid(DomainError):
    status, code = 422, "invalid"


class Throttled(DomainError):
    status, code = 429, "throttled"


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "throttled",
}


#: what a page can answer, preferred first (a tie goes to HTML)
JSON_OR_HTML = ("text/html", "application/json")


def wants_json() -> bool:
    """Tell whether the current request should get the API's JSON error shape.

    The API always does; a page's fetch() asks for it with `Accept: application/json` (a browser's
    own requests prefer HTML, and `*/*` gets HTML too).
    """
    if request.path.startswith("/api/"):
        return True
    return request.accept_mimetypes.best_match(JSON_OR_HTML) == "application/json"


def error_body(
    code: str, message: str, field: str | None = None, reason: str | None = None
) -> dict:
    """Build the API error envelope."""
    error = {"code": code, "message": message}
    if field:
        error["field"] = field
    if reason and reason != code:
        error["reason"] = reason
    return {"error": error}


def _respond(status: int, code: str, message: str, field=None, reason=None):
    if wants_json():
        return jsonify(error_body(code, message, field, reason)), status
    return render_template("errors/error.html", status=status, message=message), status


def _http_message(exc: HTTPException) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Please sign in."),
        403: _("You are not allowed to do this."),
        404: _("This page or object does not exist."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
        415: _("Send JSON with Content-Type: application/json."),
        429: _("Too many attempts. Please wait and try again."),
    }
    return messages.get(exc.code or 500, _("Something went wrong."))


def register_error_handlers(app: Flask) -> None:
    """Map domain errors, HTTP errors and crashes to an HTML page or the JSON envelope."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        return _respond(exc.status, exc.code, exc.message, exc.field, exc.reason)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        message = _(
            "The form expired or was sent from elsewhere. Please reload the page and try again."
        )
        return _respond(400, "csrf", message)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        return _respond(status, _HTTP_CODES.get(status, "error"), _http_message(exc))

    @app.errorhandler(Exception)
    def _crash(exc: Exception):
        app.logger.exception("unhandled error")
        # the error page reads the database too (the navigation's counts): not in a failed
        # transaction, which PostgreSQL refuses to continue
        db.session.rollback()
        return _respond(500, "internal", _("Something went wrong. The error was logged."))
