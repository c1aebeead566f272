"""`python -m services.referral [--role api|worker|all]`, or `... seed`, or
`... partner rotate|revoke-old <cons_id>` (a facility partner's key, rotated with an overlap)."""

import importlib
import sys

from common.serve import main
from services.referral.service import build

# command -> the module whose main(argv) runs it; imported only when asked for.
COMMANDS = {
    "partner": "services.referral.cli.partner",
    "seed": "services.referral.seed",
}

if len(sys.argv) > 1 and sys.argv[1] in COMMANDS:
    sys.exit(importlib.import_module(COMMANDS[sys.argv[1]]).main(sys.argv[2:]))
else:
    main(build)
