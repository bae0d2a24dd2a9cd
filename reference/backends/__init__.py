"""``torch.backends``: the switches the reference's semantics depend on.

``cpu.get_cpu_capability()`` names the CPU kernel set torch dispatches to, which decides how its
random samplers round (see ``reference._random``).  ``opt_einsum`` is modelled too: the reference contracts einsum operands left to right, which is
what torch does when the opt_einsum package is not installed.  So the reference answers as such a
torch install: ``is_available()`` is False, ``enabled`` is False and cannot be switched on.
"""

from __future__ import annotations

from contextlib import contextmanager

__all__ = ["cpu", "opt_einsum"]


class _OptEinsum:
    """``torch.backends.opt_einsum`` of a torch without the opt_einsum package."""

    def is_available(self) -> bool:
        """False: the reference has no path optimiser, so three or more operands go left to right."""
        return False

    def get_opt_einsum(self):
        """The opt_einsum package torch would use: None here."""
        return None

    @property
    def enabled(self) -> bool:
        return False

    @enabled.setter
    def enabled(self, value: bool) -> None:
        if value:  # torch refuses to enable what is not installed
            raise ValueError(
                f"opt_einsum is not available, so setting `enabled` to {value} will not reap the benefits of "
                "calculating an optimal path for einsum. torch.einsum will fall back to contracting from left to "
                "right. To enable this optimal path calculation, please install opt-einsum."
            )

    @property
    def strategy(self) -> None:
        return None

    @strategy.setter
    def strategy(self, value: str) -> None:
        raise ValueError(
            f"opt_einsum is not available, so setting `strategy` to {value} will not be meaningful. torch.einsum "
            "will bypass path calculation and simply contract from left to right. Please install opt_einsum or "
            "unset `strategy`."
        )

    def set_flags(self, _enabled=None, _strategy=None):
        """Set the flags (torch's checks apply) and return the previous ``(enabled, strategy)``."""
        previous = (False, None)
        if _enabled is not None:
            self.enabled = _enabled
        if _strategy is not None:
            self.strategy = _strategy
        return previous

    @contextmanager
    def flags(self, enabled=None, strategy=None):
        """Context manager form of :meth:`set_flags`."""
        self.set_flags(enabled, strategy)
        yield


opt_einsum = _OptEinsum()


class _Cpu:
    """``torch.backends.cpu``."""

    def get_cpu_capability(self) -> str:
        """The CPU kernel set torch would run here: ``ATEN_CPU_CAPABILITY`` when it names one, else the
        best the CPU supports ("AVX512", "AVX2" or "DEFAULT")."""
        from .._generator import cpu_capability

        return cpu_capability() or "DEFAULT"


cpu = _Cpu()
