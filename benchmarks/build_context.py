"""``python -m benchmarks.build_context [--quick]`` runs section 6 (a build context tarred, signed and sent to
the Function Builder) alone against its own server."""

from __future__ import annotations

import sys

from benchmarks import contenders, sections
from benchmarks.harness import Meter, ServerProcess
from benchmarks.report import render


def main() -> int:
    config = sections.QUICK if "--quick" in sys.argv else sections.Config()
    with ServerProcess() as server:
        section = sections.builds(Meter(server), config, contenders.pyopenfaas_available())
    print(render([], [section]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
