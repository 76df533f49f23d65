"""`python -m indicators ...` runs the command line."""

import signal
import sys

from indicators.cli import main

signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `... | head` ends quietly
sys.exit(main())
