#!/usr/bin/env python3
"""Writes N order intakes (NDJSON) derived from fixtures/execute/order-intake.json,
each with its own externalOrderId, to stdout: bench/make_orders.py 100000 > orders.ndjson"""
import json
import os
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "fixtures", "execute", "order-intake.json")) as f:
    order = json.load(f)
out = sys.stdout
for i in range(count):
    order["externalOrderId"] = f"PX-BENCH-{i:07d}"
    order["salesSystem"] = "PYXIS" if i % 2 == 0 else "TEMPO"
    order["customer"]["customerId"] = f"CUST-{i:07d}"
    out.write(json.dumps(order, separators=(",", ":")))
    out.write("\n")
