"""The list-count check: the names listed match the number stated."""

from tests.reader.helpers import findings


def test_a_list_in_brackets_that_matches_its_count_gives_no_finding() -> None:
    assert findings("正在培育的规上工业企业2家(森财木业、睿新鹏电子)。", "list_count") == []
    assert findings("重点服务业企业1家(南漳县新宗华机动车驾驶员培训学校)。", "list_count") == []


def test_a_list_in_brackets_longer_than_its_count_is_an_error() -> None:
    (finding,) = findings("今年新签约2个项目（华邦木业、森财木业、睿新电子）。", "list_count")
    assert finding.severity == "error"
    assert "3" in finding.message


def test_names_joined_by_he_may_contain_he_themselves() -> None:
    """'华邦保和' ends in 和; two names joined by 和 still make 2 items."""
    assert findings("今年先后招引了万亿全屋智能家居和华邦保和2个项目。", "list_count") == []


def test_a_list_before_its_count_is_checked() -> None:
    assert (
        findings("持续开展交通要道环境整治、矿产资源专项治理、农村生活垃圾治理三项工程。", "list_count") == []
    )
    assert (
        findings("持续开展交通要道环境整治、矿产资源专项治理、农村生活垃圾治理四项工程。", "list_count") != []
    )


def test_a_list_ending_in_deng_may_be_longer_than_it_shows() -> None:
    assert findings("在A村、B村等5个村开展试点。", "list_count") == []


def test_a_bracket_that_is_not_a_list_is_ignored() -> None:
    assert findings("成立工作专班1个（以下简称专班）。", "list_count") == []
