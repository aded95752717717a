"""The name recognizer (pipeline/text/names.py) on invented examples of the forms rosters print."""
import re

import pytest

from pipeline.text import names


@pytest.mark.parametrize("name", ["王之成", "孟磊", "欧阳娜娜", "司马光", "吴和记", "林森", "曾而斌"])
def test_names(name):
    assert names.is_name(name)


@pytest.mark.parametrize("word", ["主任", "副组长", "党委书记", "办公室", "平潭海关", "某某县财政局", "管理", "成员单位",
                                 "张三局长"])
def test_not_names(word):
    """Posts, units, everyday words, and four characters without a compound surname are no names."""
    assert not names.is_name(word)


def test_loose_accepts_a_surname_the_lexicon_lacks():
    assert not names.is_name("郇炎朱") and names.is_name("郇炎朱", loose=True)


def test_names_in_a_run_with_alignment_spaces():
    """Several members to a line: two-character names carry an alignment space."""
    assert names.names_in_run("张 伟 李明辉 王 芳 赵国强") == ["张伟", "李明辉", "王芳", "赵国强"]
    assert names.names_in_run("欧 阳 娜 孙小红") == ["欧阳娜", "孙小红"]
    assert names.names_in_run("孟 磊 县委常委") is None   # a name and its title, not a run of names


@pytest.mark.parametrize("line, want", [
    ("王大成党工委书记、管委会主任", ("王大成", "党工委书记、管委会主任")),
    ("许明泽区党工委副书记", ("许明泽", "区党工委副书记")),
    ("刘用之县委书记", ("刘用之", "县委书记")),
    ("李平东湖片区开发管理局副局长", ("李平", "东湖片区开发管理局副局长")),
])
def test_name_glued_to_its_title(line, want):
    """OCR or a flattened page lost the gap between the name and the title."""
    assert names.split_glued(line) == want


def test_glued_needs_a_title_after_the_name():
    assert names.split_glued("王大成同志") is None


def test_name_printed_inside_its_title():
    """The unit before the name, the post after it: 区财政局预算科王某某科长."""
    title_re = re.compile("(?:科长|副局长|处长)$")
    assert names.split_around("区财政局预算科王小明科长", title_re) == ("区财政局预算科科长", "王小明")
    assert names.split_around("县交通局李强副局长", title_re) == ("县交通局副局长", "李强")
    # a name may not cut through a word: 办|公室副|主任
    assert names.split_around("区管委会办公室副主任", re.compile("主任$")) is None


def test_name_after_its_unit():
    assert names.split_around("县交通运输局王小明", re.compile("局长$")) == ("县交通运输局", "王小明")


def test_run_items_keep_units_apart():
    """'张 杰 施某某 县自然资源所' : two names and a unit standing as a member."""
    assert names.run_items("张 杰 施小发 县自然资源所") == [("name", "张杰"), ("name", "施小发"), ("other", "县自然资源所")]
    assert names.looks_like_unit("县自然资源所") and not names.looks_like_unit("办公室负责人")


def test_loose_still_refuses_words():
    """Inside a roster slot a surname the lexicon lacks is accepted, an everyday word is not."""
    for word in ("科员", "方案", "管理", "干事"):
        assert not names.is_name(word, loose=True)
    for name in ("林森", "高峰", "李平"):
        assert names.is_name(name, loose=True)
