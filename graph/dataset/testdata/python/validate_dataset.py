"""Validates dataset files against docs/dataset.schema.json, for TestDatasetSchema.

Usage: validate_dataset.py SCHEMA FILE...  (FILE ending in .jsonl: each line is a record)
Prints one line per problem, "FILE:LINE: message", and exits 1 when there is any.
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
document = jsonschema.Draft202012Validator(schema)
record = jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/record"})
bad = 0
for name in sys.argv[2:]:
    if name.endswith(".jsonl"):
        for n, line in enumerate(open(name, encoding="utf-8"), 1):
            if line.strip():
                try:
                    value = json.loads(line)
                except ValueError as e:
                    bad += 1
                    print(f"{name}:{n}: not JSON: {e}")
                    continue
                for e in record.iter_errors(value):
                    bad += 1
                    print(f"{name}:{n}: {e.message[:300]}")
    else:
        for e in document.iter_errors(json.load(open(name, encoding="utf-8"))):
            bad += 1
            print(f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
sys.exit(1 if bad else 0)
