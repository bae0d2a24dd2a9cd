"""Grad-mode regions: no_grad, enable_grad, set_grad_enabled, inference_mode.

torch's rules:

- each is a context manager that sets the mode on entry and restores the previous mode on exit;
- each is also a decorator: the decorated function runs in the mode, and so does every step of a
  decorated *generator* function (the mode is set around each ``next``/``send`` and restored at each
  ``yield``, so the caller's code between steps runs in its own mode);
- ``no_grad``, ``enable_grad`` and ``inference_mode`` decorate with or without parentheses
  (``@torch.no_grad`` and ``@torch.no_grad()``);
- ``set_grad_enabled(mode)`` switches the mode as soon as it is constructed (a plain call is a
  switch), but used as a decorator it restores the mode it found, so only the decorated function
  runs in ``mode``;
- ``inference_mode(True)`` records no graph, and tensors created inside are *inference tensors*
  (``t.is_inference()``): they cannot be saved for a later backward, nor updated in place outside
  inference mode.  ``inference_mode(False)`` inside it switches back to normal tensors.
"""

from __future__ import annotations

import functools
import inspect

from .graph import _set_grad_enabled, _set_inference_mode, is_grad_enabled, is_inference_mode_enabled

__all__ = [
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "is_grad_enabled",
    "inference_mode",
    "is_inference_mode_enabled",
]


def _decorate(make_context, fn):
    """``fn`` running inside a fresh context from ``make_context()``; generators step by step."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generator(*args, **kwargs):
            gen = fn(*args, **kwargs)  # creating it runs none of its body
            try:
                with make_context():
                    value = gen.send(None)
                while True:
                    try:
                        sent = yield value
                    except GeneratorExit:
                        with make_context():
                            gen.close()
                        raise
                    except BaseException as e:  # noqa: BLE001 - thrown into the generator, as torch does
                        with make_context():
                            value = gen.throw(e)
                    else:
                        with make_context():
                            value = gen.send(sent)
            except StopIteration as stop:
                return stop.value

        return generator

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with make_context():
            return fn(*args, **kwargs)

    return wrapper


class _GradMode:
    """Sets grad mode on entry and restores the previous mode on exit; also a decorator, with or
    without parentheses."""

    _mode: bool

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        if not callable(orig_func):
            raise TypeError(f"{cls.__name__}() takes no arguments (got {type(orig_func).__name__})")
        return _decorate(cls, orig_func)  # ``@torch.no_grad`` without parentheses

    def __enter__(self) -> None:
        self._prev = is_grad_enabled()
        _set_grad_enabled(self._mode)

    def __exit__(self, *exc) -> None:
        _set_grad_enabled(self._prev)

    def __call__(self, fn):
        return _decorate(type(self), fn)


class no_grad(_GradMode):
    """Ops inside record no graph: their outputs do not require grad."""

    _mode = False


class enable_grad(_GradMode):
    """Re-enable recording inside a no_grad region."""

    _mode = True


class set_grad_enabled:
    """``set_grad_enabled(False)`` switches recording off *immediately* (also as a plain call) and
    restores the previous mode when used as a context manager that exits; as a decorator it restores
    the mode it found at once, and only the decorated function runs in ``mode``."""

    def __init__(self, mode: bool) -> None:
        self._prev = is_grad_enabled()
        self._mode = bool(mode)
        _set_grad_enabled(self._mode)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> None:
        _set_grad_enabled(self._prev)

    def __call__(self, fn):
        _set_grad_enabled(self._prev)
        mode = self._mode
        return _decorate(lambda: set_grad_enabled(mode), fn)

    def clone(self) -> set_grad_enabled:
        """A new context in the same mode (torch's API for reusing a decorator's context)."""
        prev = is_grad_enabled()
        ctx = set_grad_enabled(self._mode)
        _set_grad_enabled(prev)
        ctx._prev = prev
        return ctx


class inference_mode:
    """``inference_mode(mode=True)``: no graph, and the tensors created inside are inference tensors
    (see the module docstring); a context manager and a decorator, with or without parentheses."""

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        if not callable(mode):
            raise TypeError(f"inference_mode(): mode must be a bool, not {type(mode).__name__}")
        return _decorate(cls, mode)  # ``@torch.inference_mode`` without parentheses

    def __init__(self, mode: bool = True) -> None:
        self._mode = bool(mode)

    def __enter__(self) -> None:
        self._prev = (is_grad_enabled(), is_inference_mode_enabled())
        _set_inference_mode(self._mode)
        if self._mode:
            _set_grad_enabled(False)

    def __exit__(self, *exc) -> None:
        _set_grad_enabled(self._prev[0])
        _set_inference_mode(self._prev[1])

    def __call__(self, fn):
        mode = self._mode
        return _decorate(lambda: inference_mode(mode), fn)

    def clone(self) -> inference_mode:
        """A new context in the same mode."""
        return inference_mode(self._mode)
