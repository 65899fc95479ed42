"""The reader's tests here are ``async def``: run them as ``tests/ui`` does."""

from __future__ import annotations

from ..ui.conftest import pytest_pyfunc_call

__all__ = ["pytest_pyfunc_call"]
