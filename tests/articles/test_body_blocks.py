"""
A story's text as blocks (articles/body.py), for apps that draw it themselves:
each outermost element of the sanitised body once, in order, nothing lost.
"""

from articles.body import blocks


def test_each_outer_element_is_one_block_in_order():
    html = (
        "<p>Один <em>два</em><br>три</p><h3>Итоги</h3>"
        "<blockquote><p>Цитата</p><p>вторая</p></blockquote>"
        "<ol><li><p>пункт</p><ul><li>вложенный</li></ul></li><li>второй</li></ol>"
        '<figure><img src="/x.jpg" alt="" data-file="12"><figcaption>Подпись <a href="/a">'
        "ссылка</a></figcaption></figure>"
    )
    paragraph, heading, quote, numbered, figure = blocks(html)
    assert paragraph["html"] == "Один <em>два</em><br>три"
    assert heading == {"type": "heading", "level": 3, "html": "Итоги", "text": "Итоги"}
    assert quote == {
        "type": "quote",
        "html": "<p>Цитата</p><p>вторая</p>",
        "text": "Цитата\nвторая",
    }
    assert numbered["ordered"] is True
    assert [item["text"] for item in numbered["items"]] == ["пункт\nвложенный", "второй"]
    assert figure == {
        "type": "figure",
        "photo_id": 12,
        "caption": 'Подпись <a href="/a">ссылка</a>',
    }


def test_text_between_elements_and_an_element_left_open_are_kept_as_paragraphs():
    found = blocks("вступление<p>абзац</p>хвост<p>незакрытый")
    assert [block["text"] for block in found] == ["вступление", "абзац", "хвост", "незакрытый"]
    assert {block["type"] for block in found} == {"paragraph"}


def test_an_image_from_elsewhere_and_an_empty_body_make_no_block():
    assert blocks('<figure><img src="https://elsewhere.example/x.jpg"></figure>') == []
    assert blocks("") == blocks(None) == []
