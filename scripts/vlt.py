#!/usr/bin/env python3
"""Read VirtLab traces (.vlt) in Python with the standard library only.

The reader lives in the Python package (python/src/virtlab/vlt.py); this script runs it
without installing anything:

    python3 scripts/vlt.py TRACE              # every event as JSON Lines (as virtlab export)
    python3 scripts/vlt.py TRACE --summary    # the results summary: name, value, unit
    python3 scripts/vlt.py TRACE --schema     # metadata and event kinds

With the package installed (pip install ./python): python3 -m virtlab.vlt TRACE, or
import virtlab (see docs/analysis.md).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python", "src"))

from virtlab.vlt import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv))
