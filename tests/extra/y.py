#!/usr/bin/env python3
print("FAIL pyx: nope")
raise SystemExit(1)
