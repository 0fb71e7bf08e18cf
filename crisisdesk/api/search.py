"""GET /search and GET /incidents/{id}/said-before: what was said, found by its words."""

from flask import jsonify, request

from ..search import service
from ..search.terms import MAX_QUERY_LENGTH
from . import bp
from .helpers import actor, encode_cursor, number_cursor, page_limit
from .library_spec import _errors, _ok, _ref

_KINDS = ["incident", "note", "response", "source", "postmortem"]
#: a person reads the first twenty; a client that wants more says so
PAGE = 20


def hit_json(hit) -> dict:
    """A search hit as the API shows it; the snippet is escaped HTML with the hits in <mark>."""
    return {
        "incident_id": hit.incident_id,
        "ref": hit.ref,
        "kind": hit.kind,
        "source_id": hit.source_id,
        "snippet": str(hit.snippet),
        "at": hit.at.isoformat(),
    }


@bp.get("/search")
def search():
    """Best matches first in the incidents the caller may see, paged by ?cursor= and ?limit=."""
    offset = number_cursor() or 0
    limit = page_limit() if "limit" in request.args else PAGE
    hits = service.search(request.args.get("q", ""), actor=actor(), limit=limit + 1, offset=offset)
    more = len(hits) > limit and offset + limit <= service.MAX_OFFSET
    return jsonify(
        {
            "items": [hit_json(hit) for hit in hits[:limit]],
            "next_cursor": encode_cursor([offset + limit]) if more else None,
        }
    )


@bp.get("/incidents/<int:incident_id>/said-before")
def said_before(incident_id: int):
    """Published texts from other incidents with the words of ?q=, newest first (at most 10)."""
    hits = service.said_before(incident_id, request.args.get("q", ""), actor=actor())
    return jsonify({"items": [hit_json(hit) for hit in hits]})


_Q = {
    "name": "q",
    "in": "query",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
}
SCHEMAS = {
    "SearchHit": {
        "type": "object",
        "required": ["incident_id", "ref", "kind", "source_id", "snippet", "at"],
        "properties": {
            "incident_id": {"type": "integer"},
            "ref": {"type": "string"},
            "kind": {"type": "string", "enum": _KINDS},
            "source_id": {"type": "integer"},
            "snippet": {"type": "string"},
            "at": {"type": "string", "format": "date-time"},
        },
    }
}
_HITS = {"type": "array", "items": _ref("SearchHit")}
PATHS = {
    "/search": {
        "get": {
            "summary": "Search everything said in incidents",
            "operationId": "search",
            "description": (
                "Titles and summaries, notes, every revision of every response, source links and "
                "post-mortems, in German and English: each word also finds its inflections "
                "(Kunde finds Kunden, account finds accounts) and the words it begins (Karte "
                "finds Kartensperre); every word must occur. Best matches first, then newest. "
                "Restricted incidents the caller may not read are never found. `snippet` is "
                "escaped HTML: only `<mark>` around the matching words is markup. `source_id` "
                "is the incident's id, the note's event seq, the response revision's, the "
                "source link's, or the incident's for its post-mortem. Pages end after 1,000 "
                "results."
            ),
            "parameters": [
                _Q,
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": PAGE},
                },
                {"name": "cursor", "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {
                "200": _ok(
                    {
                        "type": "object",
                        "required": ["items", "next_cursor"],
                        "properties": {
                            "items": _HITS,
                            "next_cursor": {"type": ["string", "null"]},
                        },
                    }
                ),
                **_errors("401", "403", "422"),
            },
        }
    },
    "/incidents/{incident_id}/said-before": {
        "get": {
            "summary": "Have we said this before? Published texts from other incidents",
            "operationId": "saidBefore",
            "description": (
                "The published revisions of responses in other incidents the caller may read "
                "that share words with `q` (any of them), the 50 best, shown newest first, "
                "at most 10."
            ),
            "parameters": [
                {
                    "name": "incident_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                },
                _Q,
            ],
            "responses": {
                "200": _ok(
                    {"type": "object", "required": ["items"], "properties": {"items": _HITS}}
                ),
                **_errors("401", "403", "404", "422"),
            },
        }
    },
}
