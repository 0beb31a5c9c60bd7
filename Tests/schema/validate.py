# Validates YAML files (read as YAML 1.2, as netc reads them: ruamel.yaml,
# pure Python) against a JSON Schema with python3-jsonschema. One line per
# file: "ok   PATH" or "FAIL PATH: first error".
#   validate.py SCHEMA FILE...
import json, sys, jsonschema, ruamel.yaml
schema = json.load(open(sys.argv[1]))
v = jsonschema.Draft202012Validator(schema)
y = ruamel.yaml.YAML(typ="safe", pure=True)
for path in sys.argv[2:]:
    errors = sorted(v.iter_errors(y.load(open(path))), key=lambda e: list(e.path))
    print(("FAIL " if errors else "ok   ") + path + ("" if not errors else ": " + errors[0].message[:120]))
