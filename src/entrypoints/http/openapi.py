"""The OpenAPI 3.1 document, built from the operations and the very schemas that validate requests;
served at /v1/openapi.json with Swagger UI at /v1/docs."""
from __future__ import annotations

import re
from typing import Any, Iterable

from flask import Flask, jsonify
from flask_swagger_ui import get_swaggerui_blueprint
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from skyriff_domain.ids import MAX_ID

from .api import Api, Auth, Operation
from .errors import status_for
from .schemas.common import ErrorEnvelope

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_ERROR = {"$ref": "#/components/schemas/ErrorEnvelope"}
_BEARER = {"bearerAuth": []}


def build_openapi(apis: Iterable[Api], version: str = "1.0.0") -> dict[str, Any]:
    operations = [op for api in apis for op in api.operations]
    ids = [op.operation_id for op in operations]
    if len(set(ids)) != len(ids):
        raise ValueError(f"operation ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
    schemas, refs = _components(operations)
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        path = _PARAM.sub(lambda m: "{" + m.group(2) + "}", op.rule)
        paths.setdefault(path, {})[op.method.lower()] = _operation(op, refs, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "SkyRiff API", "version": version,
                 "description": "统一响应结构 {code, message, data}。错误码及其 HTTP 状态见后端仓库的 docs/errors.md。"},
        "servers": [{"url": "/v1"}],
        "paths": paths,
        "components": {"schemas": schemas,
                       "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
    }


def _components(operations: list[Operation]) -> tuple[dict[str, Any], dict]:
    """Every body (validation mode) and response (serialization mode) model, named by pydantic."""
    wanted: list[tuple[type[BaseModel], str]] = [(ErrorEnvelope, "serialization")]
    for op in operations:
        if op.body:
            wanted.append((op.body, "validation"))
        if op.response:
            wanted.append((op.response, "serialization"))
    refs, top = models_json_schema(list(dict.fromkeys(wanted)), ref_template="#/components/schemas/{model}")
    return top.get("$defs", {}), refs


def _operation(op: Operation, refs: dict, schemas: dict[str, Any]) -> dict[str, Any]:
    data = refs[(op.response, "serialization")] if op.response else {"type": "null"}
    success = {"type": "object", "required": ["code", "message", "data"],
               "properties": {"code": {"type": "integer", "const": 0}, "message": {"type": "string"}, "data": data}}
    responses: dict[str, Any] = {"200": {"description": op.message, "content": {"application/json": {"schema": success}}}}
    for status in sorted({str(status_for(code)) for code in _error_codes(op)}):
        responses[status] = {"description": "错误", "content": {"application/json": {"schema": _ERROR}}}
    responses["default"] = {"description": "错误（统一结构）", "content": {"application/json": {"schema": _ERROR}}}
    out: dict[str, Any] = {
        "tags": [op.tag], "summary": op.summary, "operationId": op.operation_id,
        "parameters": _path_params(op) + _query_params(op, schemas) + _header_params(op) + op.raw_parameters,
        "responses": responses,
        "security": {Auth.REQUIRED: [_BEARER], Auth.OPTIONAL: [{}, _BEARER], Auth.NONE: []}[op.auth],
    }
    if op.description:
        out["description"] = op.description
    if op.raw_responses is not None:
        out["responses"] = op.raw_responses
    if op.raw_request is not None:
        out["requestBody"] = op.raw_request
    if op.body:
        # An empty body reads as {}: it is only "required" when the schema has required fields.
        required = any(field.is_required() for field in op.body.model_fields.values())
        out["requestBody"] = {"required": required,
                              "content": {"application/json": {"schema": refs[(op.body, "validation")]}}}
    return out


def _error_codes(op: Operation) -> set[int]:
    codes = set(op.errors) | {5001}
    if op.body or op.query:
        codes.add(2000)
    if op.auth is Auth.REQUIRED:
        codes |= {1001, 1002, 1004}
    if op.throttle:
        codes.add(1006)
    if _PARAM.search(op.rule):
        codes.add(2007)
    return codes


def _path_params(op: Operation) -> list[dict[str, Any]]:
    out = []
    for converter, name in _PARAM.findall(op.rule):
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID} if converter == "int" else {
            "type": "string", "minLength": 1}
        out.append({"name": name, "in": "path", "required": True, "schema": schema})
    return out


def _query_params(op: Operation, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    if not op.query:
        return []
    schema = op.query.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        prop = {k: v for k, v in prop.items() if k != "title"}
        description = prop.pop("description", None)
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        out.append(param)
    return out


def _header_params(op: Operation) -> list[dict[str, Any]]:
    if not op.idempotent:
        return []
    return [{"name": "Idempotency-Key", "in": "header", "required": False,
             "description": "重试时带上同一个键，服务器返回第一次的结果而不会重复扣费（保留24小时）",
             "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x20-\\x7e]+$"}}]


def register_docs(app: Flask, apis: list[Api]) -> None:
    document = build_openapi(apis)
    app.add_url_rule("/v1/openapi.json", "openapi", lambda: jsonify(document))
    app.register_blueprint(get_swaggerui_blueprint("/v1/docs", "/v1/openapi.json",
                                                   config={"app_name": "SkyRiff API"}))
