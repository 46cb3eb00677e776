"""Optional test dependencies: a module's tests skip when one is missing, unless an environment variable (set
by CI) makes it mandatory, so that a CI run can never pass by skipping them."""
from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def import_or_skip(module: str, reason: str, require_env: str) -> ModuleType:
    """`module`, imported; if it cannot be, skip the calling test module, or fail it when `require_env` is "1"."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        unavailable(reason, require_env, str(exc))


def unavailable(reason: str, require_env: str, detail: str = "") -> None:
    """Skip the calling test (or module) for `reason`, or fail it when `require_env` is "1"."""
    if os.environ.get(require_env) == "1":
        pytest.fail(f"{reason} ({require_env}=1): {detail}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)
