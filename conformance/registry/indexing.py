"""Registry entries of indexing and selection (reference/_indexing.py, strategies/indexing.py)."""

from __future__ import annotations

import strategies as S

from .. import oracles
from ._opinfo import OpInfo, _fn_or_method, loop, register

register(
    OpInfo(
        "gather",
        _fn_or_method("gather"),
        S.gather_args(),
        S.gather_invalid(),
        oracle=loop(oracles.gather),
        events=(
            "gather: duplicate indices",
            "gather: empty index",
            "gather: 0-d input",
            "gather: index smaller than input",
            "gather: index longer along dim",
            "gather: int32 index",
        ),
    )
)
