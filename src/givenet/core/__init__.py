"""givenet's core: one function per use case, the only API that faces call.

Each function takes a :class:`Network` (where the database is) and typed inputs,
opens its own transaction (see ``core/network.py``), and returns frozen
dataclasses from ``givenet.records``. Problems are raised as the ``GivenetError``
family (``givenet.errors``) with a message written for a person.

    >>> from givenet.core import Network, add_person, morning_list
    >>> network = Network("/tmp/example.db")

Names are exported from here lazily: ``from givenet.core import morning_list``
imports only the module that holds it, so a read command loads no SQLAlchemy.
The command line imports from the area modules directly for the same reason.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The area modules, in the order their names are looked up. Each lists its public
# names in ``__all__``.
_MODULES = (
    "network",
    "ranking",
    "people",
    "log",
    "asks",
    "giving",
    "events",
    "data",
    "safety",
    "admin",
    "drafts",
    "review",
    "graph",
)

if TYPE_CHECKING:
    from givenet.core.admin import *  # noqa: F403
    from givenet.core.asks import *  # noqa: F403
    from givenet.core.data import *  # noqa: F403
    from givenet.core.drafts import *  # noqa: F403
    from givenet.core.events import *  # noqa: F403
    from givenet.core.giving import *  # noqa: F403
    from givenet.core.graph import *  # noqa: F403
    from givenet.core.log import *  # noqa: F403
    from givenet.core.network import *  # noqa: F403
    from givenet.core.people import *  # noqa: F403
    from givenet.core.review import *  # noqa: F403
    from givenet.core.safety import *  # noqa: F403

_found: dict[str, Any] = {}


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    for module_name in _MODULES:
        try:
            module = importlib.import_module(f"givenet.core.{module_name}")
        except ModuleNotFoundError as missing:
            if missing.name == f"givenet.core.{module_name}":
                continue
            raise
        if name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'givenet.core' has no attribute {name!r}")


def __dir__() -> list[str]:
    names: list[str] = []
    for module_name in _MODULES:
        try:
            module = importlib.import_module(f"givenet.core.{module_name}")
        except ModuleNotFoundError:
            continue
        names.extend(getattr(module, "__all__", ()))
    return sorted(names)
