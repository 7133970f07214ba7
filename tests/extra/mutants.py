#!/usr/bin/env python3
"""Every mutant of tests/mutants/mutants.txt still applies to the tree and names
tests that exist (tools/check/mutants.py --check), so that no refactor retires
one silently.  `make mutants` runs them; this only checks them."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import ROOT  # noqa: E402

sys.exit(subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'check', 'mutants.py'),
                         '--check']).returncode)
