"""`python -m generator` is the `notices` command."""

import sys

from .cli import main

sys.exit(main())
