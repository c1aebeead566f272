"""`python -m services.referral [--role api|worker|all]`, or `... seed`."""

import sys

from common.serve import main
from services.referral.service import build

if len(sys.argv) > 1 and sys.argv[1] == "seed":
    from services.referral.seed import main as seed_main

    seed_main(sys.argv[2:])
else:
    main(build)
