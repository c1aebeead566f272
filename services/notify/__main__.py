"""`python -m services.notify [--role api|worker|all]`, or `python -m services.notify replay`."""

import sys

from common.serve import main
from services.notify import replay
from services.notify.service import build

if sys.argv[1:2] == ["replay"]:
    replay.main()
else:
    main(build)
