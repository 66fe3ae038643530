"""``python -m newsflow`` runs the command line."""

import sys

from newsflow.cli import main

sys.exit(main())
