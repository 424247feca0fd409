"""``python -m mentormatch``: the same as the ``mentormatch`` command."""

import sys

from mentormatch.cli import main

sys.exit(main())
