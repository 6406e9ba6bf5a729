"""The apps' own fixtures the upload tests need: the indicator catalog (the case types are the root
conftest's `types`)."""

from tests.indicators.conftest import catalog  # noqa: F401
