"""OpenAPI schema post-processing: document the error responses every API view can give.

drf-spectacular documents only the success responses a view declares. The API also answers
400 (invalid input or a refused action), 401/403 (no or insufficient credentials), 404 (an
unknown object or page), 413 (an upload over the size limit), 415 (a body in a media type the
operation does not read) and, on public operations, 429 (rate limited). Clients, and the
schema fuzz test (tests/api), need those in the schema too: one hook here instead of the
same ``responses=`` on every view. All of them have the one error shape of
surveyhub/api/errors.py: the `Error` component.
"""

ERROR = {
    "type": "object",
    "description": (
        "Every API error: `detail` says what went wrong in one sentence, in the request's "
        "language; `errors` is present only when input fields are at fault, naming each field "
        "(nested ones by a dotted path such as `questions.0.text`) with its messages. Errors "
        "that concern no single field are in `detail`."
    ),
    "properties": {
        "detail": {"type": "string", "minLength": 1},
        "errors": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 1,
            },
        },
    },
    "required": ["detail"],
    "additionalProperties": False,
}
METHODS = ("get", "put", "post", "patch", "delete")


def _response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: add the error responses each operation can answer with."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    for method, operation in _operations(result):
        responses = operation.setdefault("responses", {})
        locations = {parameter.get("in") for parameter in operation.get("parameters", [])}
        body_types = set(operation.get("requestBody", {}).get("content", {}))
        # drf-spectacular marks an operation open to anonymous callers with an empty requirement.
        public = {} in operation.get("security", [])
        codes = {}
        if "requestBody" in operation or "query" in locations or method != "get":
            # Bodies and filters are validated; deletions and actions can be refused.
            codes["400"] = _response("Invalid input or refused action.")
        if public:
            codes["429"] = _response("Too many requests; try again later.")
        else:
            codes["401"] = _response("Not logged in or invalid token.")
            codes["403"] = _response("The role may not do this.")
        if "path" in locations or "query" in locations:
            # An unknown object, or a page number past the last page.
            codes["404"] = _response("Not found.")
        if "multipart/form-data" in body_types:
            codes["413"] = _response("The upload is larger than the limit.")
        if body_types:
            codes["415"] = _response("The body is in a media type this operation does not read.")
        for code, response in codes.items():
            responses.setdefault(code, response)
    return result


def _operations(result):
    for item in result.get("paths", {}).values():
        for method in METHODS:
            if method in item:
                yield method, item[method]
