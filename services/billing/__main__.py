"""`python -m services.billing [--role api|worker|all] [--port N]` serves the service;
`python -m services.billing <command> ...` runs one of COMMANDS (an operator's tool) instead:
`bill-run`, `seed`, `partner rotate|revoke-old <cons_id>`."""

import importlib
import sys

from common.serve import main
from services.billing.service import build

# command -> the module whose main(argv) runs it; imported only when asked for.
COMMANDS = {
    "bill-run": "services.billing.cli.bill_run",
    "partner": "services.billing.cli.partner",
    "seed": "services.billing.seed",
}

if len(sys.argv) > 1 and sys.argv[1] in COMMANDS:
    sys.exit(importlib.import_module(COMMANDS[sys.argv[1]]).main(sys.argv[2:]))
else:
    main(build)
