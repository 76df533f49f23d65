"""`python -m indicators ...` runs the command line."""

import sys

from indicators.cli import main

sys.exit(main())
