"""`python -m services.membership [--role api|worker|all]`, `... seed --count N`, or
`... staff create|disable|reset` (an admin's staff accounts)."""

import sys

from common.serve import main
from services.membership.service import build

if len(sys.argv) > 1 and sys.argv[1] == "seed":
    from services.membership.seed import main as seed_main

    seed_main(sys.argv[2:])
elif len(sys.argv) > 1 and sys.argv[1] == "staff":
    from services.membership.staff_cli import main as staff_main

    staff_main(sys.argv[2:])
else:
    main(build)
