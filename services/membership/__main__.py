"""`python -m services.membership [--role api|worker|all]`, or `... seed --count N`."""

import sys

from common.serve import main
from services.membership.service import build

if len(sys.argv) > 1 and sys.argv[1] == "seed":
    from services.membership.seed import main as seed_main

    seed_main(sys.argv[2:])
else:
    main(build)
