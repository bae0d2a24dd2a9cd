"""``torch.nn.Module`` and ``Parameter``: registration, traversal, state dicts, modes and printing."""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Iterator, Mapping

from .. import _creation as C
from .._tensor import Tensor

__all__ = ["Module", "Parameter"]


class Parameter(Tensor):
    """A tensor that a Module registers as a trainable parameter (requires grad by default).  As in
    torch, a Parameter takes arbitrary attributes (flags users set per parameter), and ``deepcopy``
    gives a new Parameter without the gradient."""

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True):
        """Shares ``data``'s memory; a parameter of an integer or bool dtype must be made with
        ``requires_grad=False`` (torch raises RuntimeError otherwise)."""
        data = C.empty(0) if data is None else data
        if requires_grad and not (data.dtype.is_floating_point or data.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        self._init(data._data, None)
        self._requires_grad = bool(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__  # print(param) shows the prefix too


def _class_repr(cls: type) -> str:
    """``repr(cls)`` as torch shows it: the reference's own nn classes under torch's module path."""
    module = cls.__dict__.get("_torch_module", cls.__module__)
    return f"<class '{module}.{cls.__qualname__}'>"


def _typename(value) -> str:
    """``torch.typename``: the legacy tensor type name for tensors, the qualified class name otherwise."""
    if isinstance(value, Tensor):
        return value.type()
    cls = type(value)
    # the reference's own nn classes carry the module torch defines them in (``_torch_module``)
    module = cls.__dict__.get("_torch_module", cls.__module__)
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What :meth:`Module.load_state_dict` returns: the keys the module expected and did not get, and
    the keys it got and did not expect.  When both are empty it prints as torch's one line."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _addindent(text: str, spaces: int) -> str:
    """Indent every line after the first by ``spaces`` (blank lines stay empty), as torch's reprs nest."""
    first, *rest = text.split("\n")
    return "\n".join([first] + [" " * spaces + line if line.strip() else "" for line in rest])


def _check_name(kind: str, name, module: Module, registry: dict) -> None:
    """torch's checks on a parameter or buffer name: a str, no ".", not empty, and not an attribute
    the module already has under another role (a method, a child, a plain attribute)."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {_typename(name)}")
    if "." in name:
        raise KeyError(f'{kind} name can\'t contain "."')
    if name == "":
        raise KeyError(f'{kind} name can\'t be empty string ""')
    if hasattr(module, name) and name not in registry:
        raise KeyError(f"attribute '{name}' already exists")


class Module:
    """Base class of every layer and network.

    torch's rules: a module keeps three ordered registries -- parameters, buffers and child modules --
    outside its ``__dict__``; attribute assignment routes a :class:`Parameter` to the first and a
    ``Module`` to the last (removing the name from the others), and attribute lookup falls back on
    them.  Every traversal (``named_modules``, ``named_parameters``, ``named_buffers``, ``children``)
    runs in registration order, depth first, and visits a module or tensor shared by two names once,
    under its first name; ``state_dict`` alone keeps every name."""

    _version = 1  # written into state_dict's metadata, as torch's

    def __init__(self, *args, **kwargs) -> None:
        if kwargs:  # torch's own message, naming the subclass (a layer that takes no options)
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument '{next(iter(kwargs))}'"
            )
        if args:
            raise TypeError(
                f"{type(self).__name__}.__init__() takes 1 positional argument but {len(args) + 1} were given"
            )
        for name, value in (
            ("training", True),
            ("_parameters", {}),
            ("_buffers", {}),
            ("_non_persistent_buffers_set", set()),
            ("_modules", {}),
        ):
            object.__setattr__(self, name, value)

    # -- attributes ---------------------------------------------------------------------------------

    def __getattr__(self, name: str):
        """Parameters, buffers and children are looked up in their registries (they are not in ``__dict__``)."""
        for registry in ("_parameters", "_buffers", "_modules"):
            entries = self.__dict__.get(registry)
            if entries is not None and name in entries:
                return entries[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value) -> None:
        """torch's routing: a Parameter registers as a parameter and a Module as a child, leaving the
        other registries; a name registered as a parameter (child, buffer) then accepts only a
        Parameter (Module, Tensor) or None, TypeError otherwise, and None stays registered, as an
        entry that the traversals skip.  Anything else is a plain attribute."""
        d = self.__dict__
        params, modules, buffers = d.get("_parameters"), d.get("_modules"), d.get("_buffers")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._remove(name, d, buffers, modules, self._non_persistent_buffers_set)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as parameter '{name}' (torch.nn.Parameter or None expected)"
                )
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._remove(name, d, params, buffers, self._non_persistent_buffers_set)
            modules[name] = value
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as child module '{name}' (torch.nn.Module or None expected)"
                )
            modules[name] = value
        elif buffers is not None and name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as buffer '{name}' "
                    "(torch.nn.Buffer, torch.Tensor or None expected)"
                )
            self.register_buffer(name, value, name not in self._non_persistent_buffers_set)
        else:
            object.__setattr__(self, name, value)

    @staticmethod
    def _remove(name: str, *places) -> None:
        for place in places:
            if isinstance(place, dict):
                place.pop(name, None)
            else:
                place.discard(name)

    def __delattr__(self, name: str) -> None:
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        names = set(dir(type(self))) | set(self.__dict__)
        names |= set(self._parameters) | set(self._buffers) | set(self._modules)
        return sorted(n for n in names if not n[0].isdigit())

    def _get_name(self) -> str:
        return type(self).__name__

    # -- registration -------------------------------------------------------------------------------

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add ``param`` (a :class:`Parameter` or None) under ``name``.  torch's errors: a name that is
        no str (TypeError), contains "." or is empty (KeyError) or is already another attribute
        (KeyError); a value that is no Parameter (TypeError), or a Parameter with a ``grad_fn`` (ValueError)."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        _check_name("parameter", name, self, self._parameters)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{_typename(param)}' object to parameter '{name}' (torch.nn.Parameter or None required)"
            )
        if param is not None and param.grad_fn is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be created "
                f"explicitly. To express '{name}' as a function of another Tensor, compute the value in the "
                "forward() method."
            )
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that is state but no parameter (running statistics): it is in ``buffers()``,
        follows ``to()``, and is in ``state_dict`` unless ``persistent=False``.  torch's name errors
        as :meth:`register_parameter`; a value that is no Tensor or None is TypeError."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        _check_name("buffer", name, self, self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{_typename(tensor)}' object to buffer '{name}' (torch Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module under ``name``.  torch checks the module first (TypeError "X is not a
        Module subclass"), then the name: not a str (TypeError), already another attribute, containing
        "." or empty (KeyError)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {_typename(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        """The module at the dotted path ``target`` ("" is the module itself)."""
        module = self
        for atom in target.split(".") if target else ():
            if not hasattr(module, atom):
                raise AttributeError(f"{module._get_name()} has no attribute `{atom}`")
            module = getattr(module, atom)
            if not isinstance(module, Module):
                raise AttributeError(f"`{atom}` is not an nn.Module")
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at the dotted path ``target`` ("layer.weight")."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(module._get_name() + " has no attribute `" + name + "`")
        param = getattr(module, name)
        if not isinstance(param, Parameter):
            raise AttributeError("`" + name + "` is not an nn.Parameter")
        return param

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at the dotted path ``target``."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(module._get_name() + " has no attribute `" + name + "`")
        if name not in module._buffers:
            raise AttributeError("`" + name + "` is not a buffer")
        return getattr(module, name)

    # -- traversal ----------------------------------------------------------------------------------

    def named_modules(self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True):
        """This module and every descendant, depth first in registration order, with dotted names; a
        module reachable twice is yielded once (unless ``remove_duplicate=False``)."""
        memo = set() if memo is None else memo
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is not None:
                yield from module.named_modules(memo, prefix + ("." if prefix else "") + name, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct children, each module once."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self) -> Iterator[Module]:
        for _, module in self.named_children():
            yield module

    def _named_members(self, registry: str, prefix: str, recurse: bool, remove_duplicate: bool):
        seen = set()
        owners = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for owner_prefix, owner in owners:
            for name, value in getattr(owner, registry).items():
                if value is None or value in seen:
                    continue
                if remove_duplicate:
                    seen.add(value)
                yield owner_prefix + ("." if owner_prefix else "") + name, value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """Every parameter with its dotted name, module by module in :meth:`named_modules` order; a
        parameter shared by two modules comes once, under its first name."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        """Every buffer (persistent or not) with its dotted name, as :meth:`named_parameters`."""
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    def apply(self, fn) -> Module:
        """Call ``fn`` on every child (recursively, children first), then on this module; returns self."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # -- state --------------------------------------------------------------------------------------

    def state_dict(self, *args, destination=None, prefix: str = "", keep_vars: bool = False) -> OrderedDict:
        """An ordered dict of every parameter and persistent buffer under its dotted name (shared ones
        under each name), module by module: own parameters, own buffers, then each child's.  The values
        are detached tensors sharing the module's memory (the Parameters themselves with ``keep_vars``).
        ``_metadata`` holds each module's version, keyed by its dotted name.  Positional arguments
        (destination, prefix, keep_vars) still work, with torch's FutureWarning."""
        if args:
            import warnings

            warnings.warn(
                "Positional args are being deprecated, use kwargs instead. Refer to "
                "https://pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn.Module.state_dict for details.",
                FutureWarning,
                stacklevel=2,
            )
            destination = args[0] if destination is None else destination
            prefix = args[1] if len(args) > 1 and prefix == "" else prefix
            keep_vars = args[2] if len(args) > 2 and keep_vars is False else keep_vars
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        if hasattr(destination, "_metadata"):
            destination._metadata[prefix[:-1]] = {"version": self._version}
        for name, value in self._local_state().items():
            destination[prefix + name] = value if keep_vars else value.detach()
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars)
        return destination

    def _local_state(self) -> dict:
        """This module's own non-None parameters and persistent buffers, parameters first."""
        state = {k: v for k, v in self._parameters.items() if v is not None}
        state.update(
            (k, v) for k, v in self._buffers.items() if v is not None and k not in self._non_persistent_buffers_set
        )
        return state

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False) -> _IncompatibleKeys:
        """Copy every tensor of ``state_dict`` into the parameter or buffer of the same name (``copy_``
        under no_grad: the module's tensors keep their identity and dtype; ``assign=True`` puts the
        given tensors in instead, as Parameters where a Parameter was).

        torch's rules: a value whose shape differs is an error ("size mismatch for K"), reported with
        the others at the end, as is a value that is no tensor; a 1-element 1-d value loads into a 0-d
        tensor.  Missing keys (expected, absent) and unexpected keys (present, naming nothing here) are
        returned; with ``strict`` they are errors too, listed first.  Any error is one RuntimeError
        "Error(s) in loading state_dict for <class>" with a line per problem -- after every valid
        tensor has been copied."""
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing: list[str] = []
        unexpected: list[str] = []
        errors: list[str] = []
        self._load(OrderedDict(state_dict), "", assign, missing, unexpected, errors)
        if strict:
            if unexpected:
                errors.insert(
                    0, "Unexpected key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in unexpected))
                )
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in missing)))
        if errors:
            raise RuntimeError(
                "Error(s) in loading state_dict for {}:\n\t{}".format(type(self).__name__, "\n\t".join(errors))
            )
        return _IncompatibleKeys(missing, unexpected)

    def _load(self, state_dict: dict, prefix: str, assign: bool, missing, unexpected, errors) -> None:
        from ..autograd import no_grad

        local = self._local_state()
        for name, current in local.items():
            key = prefix + name
            if key not in state_dict:
                missing.append(key)
                continue
            value = state_dict[key]
            if not isinstance(value, Tensor):
                errors.append(
                    f'While copying the parameter named "{key}", expected torch.Tensor or Tensor-like object '
                    f"from checkpoint but received {type(value)}"
                )
                continue
            if current.ndim == 0 and value.ndim == 1 and value.shape[0] == 1:
                value = value[0]  # a checkpoint from torch 0.3 stored scalars as 1-element vectors
            if value.shape != current.shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape {value.shape} from checkpoint, "
                    f"the shape in current model is {current.shape}."
                )
                continue
            try:
                with no_grad():
                    if assign:
                        if isinstance(current, Parameter) and not isinstance(value, Parameter):
                            value = Parameter(value, requires_grad=current.requires_grad)
                        elif isinstance(current, Parameter):
                            value.requires_grad_(current.requires_grad)
                        setattr(self, name, value)
                    else:
                        current.copy_(value)
            except Exception as ex:  # noqa: BLE001 -- torch reports any failure of the copy the same way
                errors.append(
                    f'While copying the parameter named "{key}", whose dimensions in the model are '
                    f"{current.size()} and whose dimensions in the checkpoint are {value.size()}, an "
                    f"exception occurred : {ex.args}."
                )
        for key in state_dict:
            if key.startswith(prefix):
                head, dot, _ = key[len(prefix) :].partition(".")
                if (head not in self._modules) if dot else (head not in local):
                    unexpected.append(key)
        for name, child in self._modules.items():
            if child is not None:
                child_prefix = prefix + name + "."
                child_state = {k: v for k, v in state_dict.items() if k.startswith(child_prefix)}
                child._load(child_state, child_prefix, assign, missing, unexpected, errors)

    # -- modes and conversions ----------------------------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        """Set ``training`` on this module and every descendant (only a bool: ValueError otherwise)."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode  # an ordinary assignment (refused where "training" names a parameter)
        for module in self.children():
            module.train(mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set ``requires_grad`` on every parameter (freezing or unfreezing the module); returns self."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient: to None (the default), or zero it in place, detached
        from any graph, when ``set_to_none=False``."""
        for param in self.parameters():
            if param.grad is None:
                continue
            if set_to_none:
                param.grad = None
            else:
                if param.grad.grad_fn is not None:
                    param.grad.detach_()
                else:
                    param.grad.requires_grad_(False)
                param.grad.zero_()

    def _apply(self, fn) -> Module:
        """Convert every parameter (keeping the Parameter object: its data is replaced), its gradient
        and every buffer with ``fn``, through the children first."""
        for module in self.children():
            module._apply(fn)
        for param in self._parameters.values():
            if param is None:
                continue
            param._data = fn(param)._data
            if param.grad is not None:
                param.grad._data = fn(param.grad)._data
        for name, buf in self._buffers.items():
            if buf is not None:
                self._buffers[name] = fn(buf)
        return self

    def to(self, *args, **kwargs) -> Module:
        """Move and/or cast the parameters and buffers (``to(device)``, ``to(dtype)``, ``to(tensor)``,
        ``to(memory_format=...)``): a dtype applies to floating and complex tensors only, and must itself
        be floating or complex (TypeError otherwise); a memory format applies to 4-d and 5-d tensors;
        ``copy=`` is refused (RuntimeError), as torch's ``Module.to``.  The module comes back."""
        from .. import _dtype as D

        if "copy" in kwargs:
            raise RuntimeError(".to() does not accept copy argument")
        memory_format = kwargs.pop("memory_format", None)
        dtype = kwargs.get("dtype")
        device = kwargs.get("device")
        for a in args:
            if isinstance(a, D.dtype):
                dtype = a
            elif isinstance(a, Tensor):
                dtype, device = a.dtype, a.device
            else:
                device = a
        if dtype is not None and not (dtype.is_floating_point or dtype.is_complex):
            raise TypeError(
                f"nn.Module.to only accepts floating point or complex dtypes, but got desired dtype={dtype}"
            )

        def convert(t: Tensor) -> Tensor:
            cast = dtype if dtype is not None and (t.is_floating_point() or t.is_complex()) else None
            options = {"memory_format": memory_format} if memory_format is not None and t.ndim in (4, 5) else {}
            out = t.to(device, cast, **options) if device is not None else (t.to(cast, **options) if cast else t)
            return out if options or cast or device is not None else t

        return self._apply(convert)

    def cpu(self) -> Module:
        """``to("cpu")`` (the reference runs on the CPU: the module itself)."""
        return self._apply(lambda t: t.cpu())

    def float(self) -> Module:
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def double(self) -> Module:
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def half(self) -> Module:
        return self._apply(lambda t: t.half() if t.is_floating_point() else t)

    # -- calling and printing -----------------------------------------------------------------------

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        """torch's format: ``Name(extra)`` on one line when there are no children and the extra
        representation is one line, else one line per extra line and per child ``(name): repr``."""
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + _addindent(repr(m), 2) for name, m in self._modules.items()]
        main = self._get_name() + "("
        if len(extra_lines) == 1 and not child_lines:
            main += extra_lines[0]
        elif extra_lines or child_lines:
            main += "\n  " + "\n  ".join(extra_lines + child_lines) + "\n"
        return main + ")"


Module._torch_module = "torch.nn.modules.module"
