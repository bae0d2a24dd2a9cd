"""``torch.get_num_threads`` and its siblings: the thread counts a program sets and reads back.

torch runs CPU kernels on an intra-op thread pool (``set_num_threads``) and runs independent work
(``torch.jit.fork``, some autograd) on an inter-op pool (``set_num_interop_threads``).  The reference
computes with NumPy in the calling thread and has neither pool, so these functions keep the two
process-wide settings, check their arguments exactly as torch does, and report back what was set;
no setting changes how (or how fast) the reference computes.  NumPy's own BLAS may still use threads
of its own, which these settings do not touch.

Initial values -- torch's come from its OpenMP runtime and cpuinfo, which plain Python cannot query,
so the reference's are documented approximations (see known_differences):

* ``get_num_threads()``: a positive integer in ``MKL_NUM_THREADS``, else in ``OMP_NUM_THREADS``
  (torch's ``intraop_default_num_threads`` reads both, MKL's last), at most ``os.cpu_count()`` (torch
  2.13's OpenMP build on Linux reports ``OMP_NUM_THREADS=7`` as 2 on a 2-CPU machine); else the number
  of CPUs this process may run on (``os.sched_getaffinity``; ``os.cpu_count()`` where that is missing).
  torch counts physical cores where the reference counts logical CPUs.
* ``get_num_interop_threads()``: ``os.cpu_count()`` (torch: its default pool size, cpuinfo's count of
  physical cores, which ignores the process's CPU affinity).
"""

from __future__ import annotations

import os
import re

from ._tensor import _is_long, _tp_name

__all__ = ["get_num_interop_threads", "get_num_threads", "set_num_interop_threads", "set_num_threads"]

_intra: int | None = None  # None until first read or set: the default is read from the environment then
_interop: int | None = None  # None: never set (torch's NOT_SET); it can be set once


def _env_threads(name: str) -> int | None:
    """A thread count from the environment as torch reads it (``std::stoi``: leading spaces, a sign and
    digits, anything after ignored; it must be positive), or None where it is absent or invalid (torch
    warns and ignores an invalid value; the reference ignores it)."""
    value = os.environ.get(name)
    if value is None:
        return None
    m = re.match(r"[ \t\n\v\f\r]*([+-]?[0-9]+)", value)
    if m is None:
        return None
    n = int(m.group(1))
    return n if 0 < n <= 2**31 - 1 else None


def _default_threads() -> int:
    from_env = _env_threads("MKL_NUM_THREADS") or _env_threads("OMP_NUM_THREADS")
    if from_env is not None:
        return min(from_env, os.cpu_count() or from_env)
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on every platform (macOS, Windows)
        return os.cpu_count() or 1


def _single_argument(name: str, args: tuple, kwargs: dict) -> object:
    """torch's setters are C functions taking exactly one positional argument (METH_O)."""
    if kwargs:
        raise TypeError(f"torch.{name}() takes no keyword arguments")
    if len(args) != 1:
        raise TypeError(f"torch.{name}() takes exactly one argument ({len(args)} given)")
    return args[0]


def _thread_count(name: str, value: object) -> int:
    """torch's checks, in its order: an int (not a bool; a NumPy integer is one), within a C ``int``
    (ValueError past ``long long``, then past ``int``), and positive."""
    if not _is_long(value):
        raise RuntimeError(f"{name} expects an int, but got {_tp_name(value)}")
    n = int(value)
    if not -(2**63) <= n < 2**63:
        raise ValueError("Overflow when unpacking long long")
    if not -(2**31) <= n < 2**31:
        raise ValueError("Overflow when unpacking long")
    if n <= 0:
        raise RuntimeError(f"{name} expects a positive integer")
    return n


def get_num_threads() -> int:
    """The number of threads used for parallelizing CPU operations (torch's intra-op setting): what
    :func:`set_num_threads` last set, else the initial value described in this module's docstring."""
    global _intra
    if _intra is None:
        _intra = _default_threads()
    return _intra


def set_num_threads(*args: int, **kwargs: object) -> None:
    """``set_num_threads(int)``: sets the number of threads used for intra-op parallelism on CPU.

    torch's rules: exactly one positional argument, no keywords (TypeError); an int, not a bool or a
    float ('set_num_threads expects an int, but got float', RuntimeError); within a C int (ValueError
    'Overflow when unpacking long'); positive ('set_num_threads expects a positive integer').  It may
    be called any number of times; the reference records the value and computes as before."""
    global _intra
    _intra = _thread_count("set_num_threads", _single_argument("set_num_threads", args, kwargs))


def get_num_interop_threads() -> int:
    """The number of threads used for inter-op parallelism on CPU: what :func:`set_num_interop_threads`
    set, else ``os.cpu_count()``.  Reading it does not fix it (torch's pool starts only with work)."""
    return _interop if _interop is not None else (os.cpu_count() or 1)


def set_num_interop_threads(*args: int, **kwargs: object) -> None:
    """``set_num_interop_threads(int)``: sets the number of threads used for inter-op parallelism.

    torch's rules: the argument is checked as :func:`set_num_threads` checks its own (the messages say
    ``set_num_interop_threads``); then it can be set only once, and not after inter-op parallel work
    has started: RuntimeError 'Error: cannot set number of interop threads after parallel work has
    started or set_num_interop_threads called'.  A call refused for its argument does not count.  The
    reference never starts inter-op work, so only an earlier successful call makes the second fail."""
    global _interop
    n = _thread_count("set_num_interop_threads", _single_argument("set_num_interop_threads", args, kwargs))
    if _interop is not None:
        raise RuntimeError(
            "Error: cannot set number of interop threads after parallel work has started or "
            "set_num_interop_threads called"
        )
    _interop = n
