"""Old names kept for one release: using one warns (DeprecationWarning) and gives the new one."""

from __future__ import annotations

import warnings
from typing import Any, Mapping

__all__ = ["old_names", "warn_renamed"]


def warn_renamed(module: str, old: str, new: str, *, depth: int = 1) -> None:
    """Warn that ``module.old`` is now ``module.new``, at the code ``depth`` calls above ours.

    Called from a module's ``__getattr__``, ``depth=1`` points at the code that used
    the old name (where the default warning filters show a DeprecationWarning).
    """
    warnings.warn(
        f"{module}.{old} is deprecated and goes in the next release: use {module}.{new}",
        DeprecationWarning,
        stacklevel=depth + 2,
    )


def old_names(module: str, renamed: Mapping[str, str], namespace: Mapping[str, Any]) -> Any:
    """A module ``__getattr__`` giving ``renamed``'s old names (old -> new) of ``module``.

    Nothing is cached in the module: every use of an old name warns.
    """

    def __getattr__(name: str) -> Any:
        new = renamed.get(name)
        if new is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warn_renamed(module, name, new)
        return namespace[new]

    return __getattr__
