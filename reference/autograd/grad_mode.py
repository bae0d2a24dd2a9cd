"""Grad-mode regions: no_grad, enable_grad, set_grad_enabled (context managers and decorators)."""

from __future__ import annotations

import functools

from .graph import _set_grad_enabled, is_grad_enabled

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled"]


class _GradMode:
    """Sets grad mode on entry and restores the previous mode on exit; also usable as a decorator."""

    _mode: bool

    def __enter__(self):
        self._prev = is_grad_enabled()
        _set_grad_enabled(self._mode)
        return None

    def __exit__(self, *exc) -> None:
        _set_grad_enabled(self._prev)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with type(self)() if not isinstance(self, set_grad_enabled) else set_grad_enabled(self._mode):
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradMode):
    """Ops inside record no graph: their outputs do not require grad."""

    _mode = False


class enable_grad(_GradMode):
    """Re-enable recording inside a no_grad region."""

    _mode = True


class set_grad_enabled(_GradMode):
    """``set_grad_enabled(False)`` switches recording off *immediately* (also as a plain call) and
    restores the previous mode when used as a context manager that exits."""

    def __init__(self, mode: bool) -> None:
        self._prev = is_grad_enabled()
        self._mode = bool(mode)
        _set_grad_enabled(self._mode)

    def __enter__(self):
        return None

    def __exit__(self, *exc) -> None:
        _set_grad_enabled(self._prev)
