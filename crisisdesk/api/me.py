"""GET /me."""

from flask import jsonify
from flask_babel import gettext as _

from ..accounts import service
from ..errors import Invalid
from . import bp
from .helpers import actor, json_body

EDITABLE = ("language", "timezone", "display_name", "email")


def user_json(user) -> dict:
    """Serialise a user as the API shows them."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "roles": user.roles,
        "language": user.language,
        "timezone": user.timezone,
    }


@bp.get("/me")
def me():
    """Return the token's user."""
    return jsonify(user_json(actor()))


@bp.patch("/me")
def update_me():
    """Change the token user's language, time zone, display name or email."""
    body = json_body()
    for key, value in body.items():
        if key not in EDITABLE:
            raise Invalid("unknown_field", _("Unknown field: %(field)s.", field=key), field=key)
        if not isinstance(value, str):
            raise Invalid("not_a_string", _("%(field)s must be a string.", field=key), field=key)
    user = service.update_preferences(actor=actor(), **body)
    return jsonify(user_json(user))


PATHS = {
    "/me": {
        "get": {
            "summary": "The user the token belongs to",
            "operationId": "getMe",
            "responses": {
                "200": {
                    "description": "The user",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Me"}}
                    },
                },
                "401": {"$ref": "#/components/responses/Unauthenticated"},
            },
        },
        "patch": {
            "summary": "Change your language, time zone, display name or email",
            "operationId": "updateMe",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "language": {"type": "string", "enum": ["de", "en"]},
                                "timezone": {"type": "string"},
                                "display_name": {
                                    "type": "string",
                                    "minLength": 1,
                                    "maxLength": 120,
                                },
                                "email": {"type": "string", "maxLength": 254},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "The user",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Me"}}
                    },
                },
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthenticated"},
                "422": {"$ref": "#/components/responses/Invalid"},
            },
        },
    },
}

SCHEMAS = {
    "Me": {
        "type": "object",
        "required": ["username", "display_name", "roles", "language", "timezone"],
        "properties": {
            "username": {"type": "string"},
            "display_name": {"type": "string"},
            "roles": {
                "type": "array",
                "items": {"type": "string", "enum": ["oncall", "legal", "management", "admin"]},
            },
            "language": {"type": "string", "enum": ["de", "en"]},
            "timezone": {"type": "string"},
        },
    },
}
