"""`${VAR}` and `${VAR:-default}` substitution, as faas-cli applies it to a stack file before parsing."""

from __future__ import annotations

import re
from collections.abc import Mapping

# ${NAME} or ${NAME:-default}; the default runs to the first closing brace.
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def substitute(text: str, environ: Mapping[str, str]) -> str:
    """`text` with every `${VAR}` replaced by its value ('' when unset) and every `${VAR:-default}` by its
    value, or `default` when unset or empty."""

    def value(match: re.Match[str]) -> str:
        found = environ.get(match[1], "")
        return found if found or match[2] is None else match[2]

    return _REFERENCE.sub(value, text)
