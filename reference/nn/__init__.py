"""``torch.nn``: modules (``nn.modules``) and the stateless functions they call (``nn.functional``)."""

from . import functional, init
from .modules import Flatten, Linear, Module, Parameter

__all__ = ["Module", "Parameter", "Flatten", "Linear", "functional", "init"]
