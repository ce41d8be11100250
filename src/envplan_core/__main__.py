"""``python -m envplan_core``: the ``envplan`` command."""

from __future__ import annotations

import sys

from envplan_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
