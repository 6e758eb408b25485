"""OpenAPI schema post-processing: document the error responses every API view can give.

drf-spectacular documents only the success responses a view declares. The API also answers
400 (invalid input or a refused action), 401/403 (no or insufficient credentials), 404 (an
unknown object or page) and, on public operations, 429 (rate limited). Clients, and the
schema fuzz test (tests/api), need those in the schema too: one hook here instead of the
same ``responses=`` on every view.
"""

ERROR = {
    "type": "object",
    "description": "An error: `detail` says what went wrong.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# DRF's validation errors: field name (or "detail" / "non_field_errors") → messages.
VALIDATION_ERROR = {
    "type": "object",
    "description": "Invalid input: each field (or `detail`) with its messages.",
    "additionalProperties": {},
}
METHODS = ("get", "put", "post", "patch", "delete")


def _response(description: str, component: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: add the error responses each operation can answer with."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for method, operation in _operations(result):
        responses = operation.setdefault("responses", {})
        locations = {parameter.get("in") for parameter in operation.get("parameters", [])}
        # drf-spectacular marks an operation open to anonymous callers with an empty requirement.
        public = {} in operation.get("security", [])
        codes = {}
        if "requestBody" in operation or "query" in locations or method != "get":
            # Bodies and filters are validated; deletions and actions can be refused.
            codes["400"] = _response("Invalid input or refused action.", "ValidationError")
        if public:
            codes["429"] = _response("Too many requests; try again later.", "Error")
        else:
            codes["401"] = _response("Not logged in or invalid token.", "Error")
            codes["403"] = _response("The role may not do this.", "Error")
        if "path" in locations or "query" in locations:
            # An unknown object, or a page number past the last page.
            codes["404"] = _response("Not found.", "Error")
        for code, response in codes.items():
            responses.setdefault(code, response)
    return result


def _operations(result):
    for item in result.get("paths", {}).values():
        for method in METHODS:
            if method in item:
                yield method, item[method]
