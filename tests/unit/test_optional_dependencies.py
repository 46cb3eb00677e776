"""A missing optional test dependency skips its tests, unless CI made it mandatory: then the run fails."""
import pytest

from tests.support.optional import import_or_skip

MISSING = "skyriff_no_such_module_for_tests"


def test_a_present_module_is_returned():
    assert import_or_skip("json", "json missing", "SKYRIFF_TEST_REQUIRE_NOTHING").dumps([1]) == "[1]"


def test_a_missing_module_skips(monkeypatch):
    monkeypatch.delenv("SKYRIFF_TEST_REQUIRE_X", raising=False)
    with pytest.raises(pytest.skip.Exception, match="x is not installed"):
        import_or_skip(MISSING, "x is not installed", "SKYRIFF_TEST_REQUIRE_X")


def test_a_missing_module_fails_when_required(monkeypatch):
    monkeypatch.setenv("SKYRIFF_TEST_REQUIRE_X", "1")
    with pytest.raises(pytest.fail.Exception, match=r"x is not installed \(SKYRIFF_TEST_REQUIRE_X=1\)"):
        import_or_skip(MISSING, "x is not installed", "SKYRIFF_TEST_REQUIRE_X")
