#!/usr/bin/env python3
"""Checks an SBOM against the required-field structure of SPDX 2.3 JSON or
CycloneDX 1.5 JSON (a subset of the official schemas, written out here because
the schema files cannot be fetched in the test environment).

usage: sbom_schema_check.py spdx|cyclonedx FILE
"""
import json
import sys

import jsonschema

PURL = {"type": "string", "pattern": "^pkg:[a-z]+/.+"}

SPDX = {
    "type": "object",
    "required": ["spdxVersion", "dataLicense", "SPDXID", "name", "documentNamespace",
                 "creationInfo", "packages", "relationships"],
    "properties": {
        "spdxVersion": {"const": "SPDX-2.3"},
        "dataLicense": {"const": "CC0-1.0"},
        "SPDXID": {"const": "SPDXRef-DOCUMENT"},
        "name": {"type": "string", "minLength": 1},
        "documentNamespace": {"type": "string", "pattern": "^[a-z]+://"},
        "creationInfo": {
            "type": "object",
            "required": ["created", "creators"],
            "properties": {
                "created": {"type": "string",
                            "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"},
                "creators": {"type": "array", "minItems": 1,
                             "items": {"type": "string",
                                       "pattern": "^(Tool|Person|Organization): "}},
            },
        },
        "packages": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["SPDXID", "name", "downloadLocation"],
                "properties": {
                    "SPDXID": {"type": "string", "pattern": r"^SPDXRef-[A-Za-z0-9.\-]+$"},
                    "name": {"type": "string", "minLength": 1},
                    "versionInfo": {"type": "string"},
                    "downloadLocation": {"type": "string"},
                    "licenseConcluded": {"type": "string"},
                    "licenseDeclared": {"type": "string"},
                    "externalRefs": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["referenceCategory", "referenceType",
                                         "referenceLocator"],
                            "properties": {
                                "referenceCategory": {
                                    "enum": ["SECURITY", "PACKAGE-MANAGER", "PACKAGE_MANAGER",
                                             "PERSISTENT-ID", "PERSISTENT_ID", "OTHER"]},
                                "referenceLocator": PURL,
                            },
                        },
                    },
                },
            },
        },
        "relationships": {
            "type": "array",
            "contains": {"type": "object",
                         "properties": {"relationshipType": {"const": "DESCRIBES"}}},
            "items": {"type": "object",
                      "required": ["spdxElementId", "relationshipType", "relatedSpdxElement"]},
        },
    },
}

CYCLONEDX = {
    "type": "object",
    "required": ["bomFormat", "specVersion", "serialNumber", "version", "metadata",
                 "components"],
    "properties": {
        "bomFormat": {"const": "CycloneDX"},
        "specVersion": {"const": "1.5"},
        "serialNumber": {
            "type": "string",
            "pattern": "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}"
                       "-[0-9a-f]{12}$"},
        "version": {"const": 1},
        "metadata": {
            "type": "object",
            "required": ["component"],
            "properties": {"component": {"type": "object", "required": ["type", "name"],
                                         "properties": {"type": {"const": "container"}}}},
        },
        "components": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "name", "version", "purl", "bom-ref"],
                "properties": {
                    "type": {"enum": ["application", "framework", "library", "container",
                                      "operating-system", "device", "firmware", "file"]},
                    "purl": PURL,
                },
            },
        },
    },
}


def main():
    kind, path = sys.argv[1], sys.argv[2]
    with open(path) as f:
        doc = json.load(f)
    schema = SPDX if kind == "spdx" else CYCLONEDX
    jsonschema.validate(doc, schema)
    if kind == "spdx":
        ids = [p["SPDXID"] for p in doc["packages"]]
        if len(ids) != len(set(ids)):
            sys.exit("duplicate SPDXIDs")
        known = set(ids) | {"SPDXRef-DOCUMENT"}
        for r in doc["relationships"]:
            if r["spdxElementId"] not in known or r["relatedSpdxElement"] not in known:
                sys.exit("relationship to an unknown element: %r" % r)
    else:
        refs = [c["bom-ref"] for c in doc["components"]]
        if len(refs) != len(set(refs)):
            sys.exit("duplicate bom-refs")
    print("ok")


if __name__ == "__main__":
    main()
