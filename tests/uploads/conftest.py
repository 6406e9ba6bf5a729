"""The apps' own fixtures the upload tests need: the case types and the indicator catalog."""

from tests.cases.conftest import types  # noqa: F401
from tests.indicators.conftest import catalog  # noqa: F401
