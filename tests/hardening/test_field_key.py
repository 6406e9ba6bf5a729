"""A server started with a FIELD_ENCRYPTION_KEY other than the one the stored numbers were encrypted with
refuses to start with a clear message, instead of answering every reveal and export with a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.conftest import Cast
from tests.households.factories import household
from zhenwu.households.keycheck import check_field_key
from zhenwu.households.models import FieldKeyCheck

OTHER_KEY = "another-installation-s-field-key-0123456789"


def test_the_first_start_records_the_key_and_a_later_start_accepts_it(cast: Cast) -> None:
    check_field_key()
    assert FieldKeyCheck.objects.count() == 1
    check_field_key()
    assert FieldKeyCheck.objects.count() == 1


def test_a_start_with_another_key_is_refused_in_chinese(cast: Cast) -> None:
    check_field_key()
    with override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY), pytest.raises(ImproperlyConfigured) as refused:
        check_field_key()
    assert "FIELD_ENCRYPTION_KEY 与数据库中已加密的身份证号、电话所用的密钥不一致" in str(refused.value)
    with override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY), pytest.raises(CommandError):
        call_command("serve", "127.0.0.1:0")


def test_a_database_from_before_the_check_is_tested_on_a_stored_number(cast: Cast) -> None:
    household(cast.village01)
    with override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY), pytest.raises(ImproperlyConfigured):
        check_field_key()
    assert not FieldKeyCheck.objects.exists()
    check_field_key()  # the right key: recorded from now on
    assert FieldKeyCheck.objects.count() == 1
