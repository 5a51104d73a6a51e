"""faas-cli stack files: a typed model, the parser, and the deployments they map to.

>>> from pyopenfaas.stack import load_stack
>>> stack = load_stack("stack.yaml", filter="api-*")
>>> print(client.stack.diff(stack))    # what a deploy would change, function by function
>>> client.stack.deploy(stack)          # update-or-create each selected function
"""

from ._async.stack import AsyncStackResource
from ._errors import StackError
from ._public import publish
from ._stack_diff import FieldChange, FunctionDiff, StackDiff
from ._stack_load import StackWarning, load_stack
from ._stack_model import (
    Deployment,
    Provider,
    Resources,
    Stack,
    StackConfiguration,
    StackFunction,
    TemplateSource,
    UpProgress,
)
from ._sync.stack import StackResource

__all__ = [
    "AsyncStackResource",
    "Deployment",
    "FieldChange",
    "FunctionDiff",
    "Provider",
    "Resources",
    "Stack",
    "StackConfiguration",
    "StackDiff",
    "StackError",
    "StackFunction",
    "StackResource",
    "StackWarning",
    "TemplateSource",
    "UpProgress",
    "load_stack",
]


publish(__name__, globals())
