#!/usr/bin/env python3
"""Checks a running portal against its own OpenAPI document: the document is valid, and the answers of the catalogue
endpoints match the response schemas it declares. Usage: check_api.py BASE_URL"""
import json
import sys
import urllib.error
import urllib.request

import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

base = sys.argv[1].rstrip("/")
spec_text = urllib.request.urlopen(base + "/openapi.yaml").read().decode()
spec = yaml.safe_load(spec_text)
validate(spec)
registry = Registry().with_resource("urn:spec", Resource.from_contents(spec, default_specification=DRAFT202012))

failures = 0
passes = 0


def schema_for(path, status):
    operation = spec["paths"][path]["get"]
    content = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    return {"$ref": "urn:spec#" + content["$ref"][1:]} if "$ref" in content else {**content, "$id": "urn:inline"}


def check(url, path, expected_status):
    global failures, passes
    try:
        response = urllib.request.urlopen(base + url)
        status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    if status != expected_status:
        print(f"  FAIL {url}: status {status}, expected {expected_status}")
        failures += 1
        return
    schema = schema_for(path, status)
    # Inline schemas may reference components: resolve them against the whole document.
    if "$ref" not in schema:
        schema = json.loads(json.dumps(schema).replace('"#/components', '"urn:spec#/components'))
    validator = Draft202012Validator(schema, registry=registry)
    errors = list(validator.iter_errors(json.loads(body)))
    if errors:
        print(f"  FAIL {url}: {errors[0].message} at {list(errors[0].absolute_path)}")
        failures += 1
    else:
        print(f"  ok   {url} matches the schema for {status}")
        passes += 1


check("/api/v1/procedures?q=dang+ky+khai+sinh", "/api/v1/procedures", 200)
check("/api/v1/procedures?level=commune&audience=citizen&per_page=100", "/api/v1/procedures", 200)
check("/api/v1/procedures?per_page=1000", "/api/v1/procedures", 400)
check("/api/v1/procedures/1.001193", "/api/v1/procedures/{code}", 200)
check("/api/v1/procedures/0.000000", "/api/v1/procedures/{code}", 404)
check("/api/v1/units/provinces", "/api/v1/units/provinces", 200)
check("/api/v1/units/provinces/01/communes", "/api/v1/units/provinces/{code}/communes", 200)
check("/api/v1/units/provinces/00/communes", "/api/v1/units/provinces/{code}/communes", 404)
check("/api/v1/agencies?q=bo", "/api/v1/agencies", 200)
check("/api/v1/hotlines?province=01", "/api/v1/hotlines", 200)
check("/api/v1/hotlines?province=x", "/api/v1/hotlines", 400)
check("/api/v1/stats/summary", "/api/v1/stats/summary", 200)
check("/api/v1/stats/agencies", "/api/v1/stats/agencies", 200)
check("/api/v1/stats/agencies?from=2026-02-30", "/api/v1/stats/agencies", 400)
check("/api/v1/stats/procedures?agency=000.00.61.H29", "/api/v1/stats/procedures", 200)
print(f"api: {passes} passed, {failures} failed")
sys.exit(1 if failures else 0)
