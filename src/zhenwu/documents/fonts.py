"""The fonts GB/T 9704-2012 names, what stands in for each where it is missing, and how to tell Word and
LibreOffice so.

The .docx names the official fonts, as an office's checker expects. Where one is missing:
- Word and WPS read the font table (word/fontTable.xml): the font's other names (w:altName, its
  English name), its character set (GB2312) and its class (serif, sans, script), and substitute a font
  of that class;
- LibreOffice on Linux asks fontconfig, which by default gives every unknown name the same sans-serif
  face, so that headings in 黑体 look like the body. `fontconfig()` writes the aliases that give each
  official name free faces of its own class (`python -m zhenwu.documents.fonts`; docs/fonts.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class OfficialFont:
    name: str  # as GB/T 9704 and the .docx name it
    use: str
    other_names: tuple[str, ...]  # the same font under its English name (w:altName)
    generic: str  # fontconfig's generic family: serif or sans-serif
    word_family: str  # the font table's class: roman (serif), swiss (sans), script
    free: tuple[str, ...]  # free faces that stand in, best first (fontconfig family names)


TITLE = "方正小标宋简体"
BODY = "仿宋_GB2312"
HEADING1 = "黑体"
HEADING2 = "楷体_GB2312"
PAGE_NUMBER = "宋体"

OFFICIAL_FONTS = (
    OfficialFont(TITLE, "标题", ("FZXiaoBiaoSong-B05S",), "serif", "roman", ("Noto Serif CJK SC",)),
    OfficialFont(BODY, "正文", ("FangSong_GB2312",), "serif", "roman", ("Noto Serif CJK SC",)),
    OfficialFont(
        HEADING1, "一级标题", ("SimHei",), "sans-serif", "swiss", ("Noto Sans CJK SC", "WenQuanYi Zen Hei")
    ),
    OfficialFont(
        HEADING2,
        "二级标题",
        ("KaiTi_GB2312",),
        "serif",
        "script",
        ("AR PL UKai CN", "AR PL KaitiM GB", "LXGW WenKai", "Noto Serif CJK SC"),
    ),
    OfficialFont(PAGE_NUMBER, "页码", ("SimSun",), "serif", "roman", ("Noto Serif CJK SC", "AR PL UMing CN")),
)
GB2312_CHARSET = "86"


def fontconfig() -> str:
    """A fontconfig file giving each official font's names free faces of its class, after the font
    itself: a machine that has the official font keeps using it."""
    aliases = []
    for font in OFFICIAL_FONTS:
        accepted = "".join(f"<family>{escape(face)}</family>" for face in (*font.free, font.generic))
        for name in (font.name, *font.other_names):
            aliases.append(
                f'  <alias binding="same"><family>{escape(name)}</family><accept>{accepted}</accept></alias>'
            )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<!-- zhenwu: free faces for the fonts of GB/T 9704-2012 official documents (docs/fonts.md) -->\n"
        "<fontconfig>\n" + "\n".join(aliases) + "\n</fontconfig>\n"
    )


if __name__ == "__main__":
    print(fontconfig(), end="")
