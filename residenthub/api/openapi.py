"""The OpenAPI 3.0 document of /api/v1/, written by hand next to the views it describes."""

from __future__ import annotations

from django.conf import settings

ERR = {"$ref": "#/components/responses/Error"}


def _json(schema):
    return {"content": {"application/json": {"schema": schema}}}


def _op(summary, schema, *, scope="", params=(), body=None, ok="200", errors=("400", "404", "429")):
    op = {
        "summary": summary,
        "operationId": summary.lower().replace(" ", "_").replace("'", ""),
        "parameters": list(params),
        "responses": {ok: {"description": "OK", **_json(schema)}, **dict.fromkeys(errors, ERR)},
    }
    if scope:
        op["security"] = [{"bearer": [scope]}]
        op["x-scope"] = scope
        op["responses"].update({"401": ERR, "403": ERR})
    if body:
        op["requestBody"] = {"required": True, **_json(body)}
    return op


def _path(name):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


PAGE = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "page_size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
]


def _paged(item):
    return {
        "type": "object",
        "required": ["count", "page", "pages", "next", "results"],
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "next": {"type": "integer", "nullable": True},
            "results": {"type": "array", "items": item},
        },
    }


def document() -> dict:
    ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{settings.COUNCIL_NAME} Resident Hub API",
            "version": "1.0.0",
            "description": "Services, cases and the staff workflow. Open311 GeoReport v2 is at /open311/v2/.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/services": {"get": _op("List services", _paged(ref("Service")), params=PAGE)},
            "/services/{code}": {
                "get": _op("Read a service and its form", ref("ServiceDetail"), params=[_path("code")])
            },
            "/cases": {
                "post": _op(
                    "Create a case",
                    ref("Created"),
                    scope="cases:create",
                    ok="201",
                    body=ref("NewCase"),
                    params=[{"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}],
                    errors=("400", "404", "422", "429"),
                )
            },
            "/cases/track/{token}": {
                "get": _op("Read a case with its tracking token", ref("PublicCase"), params=[_path("token")])
            },
            "/staff/cases": {
                "get": _op(
                    "List cases you may see",
                    _paged(ref("CaseSummary")),
                    scope="cases:read",
                    params=[
                        *PAGE,
                        {"name": "status", "in": "query", "schema": {"type": "string"}},
                        {
                            "name": "open",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["true", "false"]},
                        },
                    ],
                )
            },
            "/staff/cases/{reference}": {
                "get": _op("Read a case", ref("StaffCase"), scope="cases:read", params=[_path("reference")])
            },
            "/staff/cases/{reference}/transition": {
                "post": _op(
                    "Change a case's status",
                    ref("StaffCase"),
                    scope="cases:write",
                    params=[_path("reference")],
                    body=ref("Transition"),
                    errors=("400", "404", "409", "429"),
                )
            },
            "/staff/cases/{reference}/notes": {
                "post": _op(
                    "Add a note or a public update",
                    ref("StaffCase"),
                    scope="cases:write",
                    ok="201",
                    params=[_path("reference")],
                    body=ref("Note"),
                    errors=("400", "404", "409", "429"),
                )
            },
            "/staff/cases/{reference}/assign": {
                "post": _op(
                    "Assign a case",
                    ref("StaffCase"),
                    scope="cases:write",
                    params=[_path("reference")],
                    body=ref("Assign"),
                    errors=("400", "404", "409", "429"),
                )
            },
            "/staff/persons/match": {
                "post": _op(
                    "Match a contact to known residents",
                    ref("PersonMatches"),
                    scope="persons:match",
                    body=ref("Contact"),
                    errors=("400", "429"),
                )
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "An API key"}},
            "responses": {"Error": {"description": "An error", **_json(ref("Error"))}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "code", "message", "details"],
                            "properties": {
                                "status": {"type": "integer"},
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "details": {"type": "array", "items": {"type": "string"}},
                            },
                        }
                    },
                },
                "Service": {
                    "type": "object",
                    "required": ["code", "name"],
                    "properties": {
                        "code": {"type": "string"},
                        "name": {"type": "string"},
                        "summary": {"type": "string"},
                        "category": {"type": "string"},
                        "lgsl": {"type": "integer"},
                        "keywords": {"type": "array", "items": {"type": "string"}},
                        "contact": {"type": "string", "enum": ["required", "optional"]},
                        "target_working_days": {"type": "integer"},
                    },
                },
                "ServiceDetail": {
                    "allOf": [
                        ref("Service"),
                        {
                            "type": "object",
                            "properties": {
                                "questions": {"type": "array", "items": {"type": "object"}},
                                "open311_attributes": {"type": "array", "items": {"type": "object"}},
                            },
                        },
                    ]
                },
                "NewCase": {
                    "type": "object",
                    "required": ["service_code"],
                    "properties": {
                        "service_code": {"type": "string"},
                        "answers": {"type": "object", "additionalProperties": True},
                        "description": {"type": "string", "maxLength": 4000},
                        "location": {
                            "type": "object",
                            "properties": {
                                k: {"type": "string"} for k in ("lat", "long", "address_string", "address_id")
                            },
                        },
                        "contact": {
                            "type": "object",
                            "properties": {
                                k: {"type": "string"}
                                for k in ("first_name", "last_name", "email", "phone", "notify_by")
                            },
                        },
                    },
                },
                "PublicCase": {
                    "type": "object",
                    "required": ["reference", "service", "status_label", "open", "timeline"],
                    "properties": {
                        "reference": {"type": "string"},
                        "service": {"type": "string"},
                        "status": {"type": "string", "nullable": True},
                        "status_label": {"type": "string"},
                        "open": {"type": "boolean"},
                        "created_at": {"type": "string", "format": "date-time"},
                        "updated_at": {"type": "string", "format": "date-time"},
                        "due_date": {"type": "string", "format": "date"},
                        "timeline": {"type": "array", "items": {"type": "object"}},
                    },
                },
                "Created": {
                    "type": "object",
                    "required": ["reference", "tracking_token", "case"],
                    "properties": {
                        "reference": {"type": "string"},
                        "tracking_token": {"type": "string"},
                        "case": ref("PublicCase"),
                    },
                },
                "CaseSummary": {
                    "type": "object",
                    "required": ["reference", "service", "status", "open"],
                    "properties": {
                        "reference": {"type": "string"},
                        "service": {"type": "string"},
                        "status": {"type": "string"},
                        "open": {"type": "boolean"},
                        "team": {"type": "string"},
                        "due_date": {"type": "string", "format": "date"},
                        "priority": {"type": "string"},
                    },
                },
                "StaffCase": {
                    "allOf": [
                        ref("PublicCase"),
                        {
                            "type": "object",
                            "properties": {
                                "team": {"type": "string"},
                                "version": {"type": "integer"},
                                "answers": {"type": "object"},
                                "contact": {"type": "object"},
                            },
                        },
                    ]
                },
                "Transition": {
                    "type": "object",
                    "required": ["status"],
                    "properties": {
                        "status": {"type": "string"},
                        "reason": {"type": "string"},
                        "public_message": {"type": "string"},
                        "version": {"type": "integer"},
                    },
                },
                "Note": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {"text": {"type": "string"}, "public": {"type": "boolean"}},
                },
                "Assign": {
                    "type": "object",
                    "properties": {"team": {"type": "string"}, "officer": {"type": "string"}},
                },
                "Contact": {
                    "type": "object",
                    "description": "A name, or at least one of the other fields.",
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string", "example": "Maggie O'Brien"},
                        "dob": {"type": "string", "description": "YYYY-MM-DD or DD/MM/YYYY"},
                        "email": {"type": "string"},
                        "phone": {"type": "string"},
                        "postcode": {"type": "string", "example": "E20 1AB"},
                    },
                },
                "PersonMatches": {
                    "type": "object",
                    "required": ["candidates"],
                    "properties": {
                        "candidates": {
                            "type": "array",
                            "maxItems": 10,
                            "items": {
                                "type": "object",
                                "required": ["person_id", "match_probability", "decision"],
                                "properties": {
                                    "person_id": {"type": "string"},
                                    "match_probability": {"type": "number", "minimum": 0, "maximum": 1},
                                    "decision": {"type": "string", "enum": ["link", "review", "no match"]},
                                },
                            },
                        }
                    },
                },
            },
        },
    }
