"""Web page chrome is skipped, but offsets still refer to the original text."""

from tests.reader.helpers import figures, texts

PAGE = (
    "好文档 - 专业文书写作范文服务资料分享网站\n"
    "分享 时间: 加入收藏 我要投稿 点赞\n"
    "---此处隐藏0字,下载后查看---\n"
    "一季度完成固定资产投资4.9亿元。加入Vip免费下载\n"
    "221381\n"
    "领取福利\n"
    "微信扫码分享"
)


def test_chrome_lines_give_no_figures() -> None:
    assert texts(PAGE) == ["4.9亿元"]


def test_offsets_point_into_the_original_text_despite_masked_chrome() -> None:
    (figure,) = figures(PAGE)
    assert PAGE[figure.start : figure.end] == "4.9亿元"
