"""``tiktok.from_dict``: models back from the JSON that ``to_dict`` and the CLI give."""

from __future__ import annotations

import copy
from typing import Any, Mapping, Type, TypeVar

from ._converter import structure
from .models import Model

__all__ = ["from_dict"]

M = TypeVar("M", bound=Model)


def from_dict(cl: Type[M], data: Mapping[str, Any]) -> M:
    """A ``cl`` model built from JSON-shaped ``data``: the inverse of :func:`tiktok.to_dict`.

    ``data`` is what ``to_dict`` gives or a line of the CLI's JSON Lines
    (``json.loads(line)``), ids as strings or numbers; keys ``cl`` does not
    declare go to ``additional_properties``. ``data`` is copied, not taken over.
    Raises ``TypeError`` for a ``cl`` that is not a model or ``data`` that is not
    a mapping, and ``TypeError``/``ValueError`` for data of the wrong shape.
    """
    if not (isinstance(cl, type) and issubclass(cl, Model)):
        raise TypeError(f"from_dict builds tiktok models, not {cl!r}")
    if not isinstance(data, Mapping):
        raise TypeError(f"from_dict takes a mapping (JSON object), not {type(data).__name__}")
    return structure(copy.deepcopy(dict(data)), cl)
