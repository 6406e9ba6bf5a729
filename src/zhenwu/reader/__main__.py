"""`python -m zhenwu.reader FILE [--json]`."""

import sys

from zhenwu.reader.cli import main

sys.exit(main())
