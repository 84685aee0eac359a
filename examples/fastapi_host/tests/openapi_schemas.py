"""The host's OpenAPI document, and validators for the schemas it holds (JSON Schema 2020-12)."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from fastapi_host import create_app
from jsonschema import Draft202012Validator


@cache
def host_document() -> dict[str, Any]:
    """The host's OpenAPI document (it does not depend on the database's rows)."""
    with tempfile.TemporaryDirectory() as folder:
        document: dict[str, Any] = create_app(Path(folder) / "openapi.sqlite3").openapi()
    return document


def validator(schema: dict[str, Any], document: dict[str, Any] | None = None) -> Draft202012Validator:
    """A validator of *schema*, its ``#/components/schemas/...`` references resolved in *document*."""
    components = (document or host_document())["components"]
    return Draft202012Validator({**schema, "components": components})


def component(name: str) -> Draft202012Validator:
    """A validator of the host document's component *name*."""
    return validator({"$ref": f"#/components/schemas/{name}"})
