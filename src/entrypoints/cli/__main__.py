"""`python -m entrypoints.cli`."""
import sys

from . import main

sys.exit(main())
