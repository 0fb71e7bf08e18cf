"""GET /channels: the channel catalogue and the audiences each channel reaches."""

from flask import jsonify

from ..channels import (
    audience_label,
    audiences,
    channels_for,
    is_internal,
    label,
    limit,
    names,
    text_format,
)
from . import bp


@bp.get("/channels")
def list_channels():
    """Every channel (with its format and limit) and every audience (with its channels)."""
    return jsonify(
        {
            "channels": [
                {
                    "name": name,
                    "label": label(name),
                    "format": text_format(name),
                    "limit": limit(name),
                }
                for name in names()
            ],
            "audiences": [
                {
                    "name": audience,
                    "label": audience_label(audience),
                    "internal": is_internal(audience),
                    "channels": list(channels_for(audience)),
                }
                for audience in audiences()
            ],
        }
    )


_TEXT = {"type": "string"}
PATHS = {
    "/channels": {
        "get": {
            "summary": "The channels and audiences of this desk (built in and configured)",
            "operationId": "listChannels",
            "responses": {
                "200": {
                    "description": "The catalogue",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ChannelCatalogue"}
                        }
                    },
                },
                "401": {"$ref": "#/components/responses/Unauthenticated"},
            },
        }
    }
}
SCHEMAS = {
    "ChannelCatalogue": {
        "type": "object",
        "required": ["channels", "audiences"],
        "properties": {
            "channels": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "label", "format", "limit"],
                    "properties": {
                        "name": _TEXT,
                        "label": _TEXT,
                        "format": {"type": "string", "enum": ["plain", "markdown", "html_email"]},
                        "limit": {"type": ["integer", "null"]},
                    },
                },
            },
            "audiences": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "label", "internal", "channels"],
                    "properties": {
                        "name": _TEXT,
                        "label": _TEXT,
                        "internal": {"type": "boolean"},
                        "channels": {"type": "array", "items": _TEXT},
                    },
                },
            },
        },
    }
}
