"""``torch.nn``: modules (``nn.modules``) and the stateless functions they call (``nn.functional``)."""

from . import functional, init
from .modules import Dropout, Flatten, Linear, Module, Parameter

__all__ = ["Module", "Parameter", "Flatten", "Linear", "Dropout", "functional", "init"]
