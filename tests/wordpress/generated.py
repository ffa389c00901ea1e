"""Exports of any size, written as a stream: for the memory test and bench/wordpress_import.py."""

from xml.sax.saxutils import escape

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Архив</title><link>https://archive.example.kz</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://archive.example.kz</wp:base_site_url>
<wp:author><wp:author_login>redaktsiya</wp:author_login><wp:author_display_name><![CDATA[Редакция]]></wp:author_display_name></wp:author>
"""
CATEGORIES = ["Новости", "Экономика", "Қоғам", "Спорт", "Мәдениет"]
SENTENCE = (
    "Әкімдік жаңа мектептің құрылысын күзге дейін аяқтауды жоспарлап отыр; в районе строят школу. "
)


def write_export(file, posts, *, body_chars=2000, photos_every=0):
    """``posts`` posts of about ``body_chars`` characters; every ``photos_every``-th has a photo."""
    file.write(HEAD)
    for number, name in enumerate(CATEGORIES, 1):
        file.write(
            f"<wp:category><wp:term_id>{number}</wp:term_id><wp:category_nicename>c{number}"
            f"</wp:category_nicename><wp:category_parent></wp:category_parent>"
            f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>\n"
        )
    paragraph = SENTENCE * max(1, body_chars // len(SENTENCE) // 4)
    body = "\n\n".join([paragraph] * 4)
    for number in range(1, posts + 1):
        post_id = number * 2
        photo = photos_every and number % photos_every == 0
        thumbnail = (
            f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
            f"<wp:meta_value>{post_id + 1}</wp:meta_value></wp:postmeta>"
            if photo
            else ""
        )
        file.write(
            f"<item><title>{escape(f'Новость номер {number}: школа к осени')}</title>"
            f"<link>https://archive.example.kz/2020/01/01/novost-{number}/</link>"
            f"<dc:creator>redaktsiya</dc:creator>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded>"
            f"<excerpt:encoded><![CDATA[Лид новости {number}.]]></excerpt:encoded>"
            f"<wp:post_id>{post_id}</wp:post_id>"
            f"<wp:post_date>2020-01-01 12:00:00</wp:post_date>"
            f"<wp:post_date_gmt>2020-01-01 {number % 24:02}:00:00</wp:post_date_gmt>"
            f"<wp:post_name>novost-{number}</wp:post_name><wp:status>publish</wp:status>"
            f"<wp:post_type>post</wp:post_type>"
            f'<category domain="category" nicename="c{number % 5 + 1}">'
            f"<![CDATA[{CATEGORIES[number % 5]}]]></category>"
            f'<category domain="post_tag" nicename="t{number % 50}"><![CDATA[тег {number % 50}]]>'
            f"</category>{thumbnail}</item>\n"
        )
        if photo:
            file.write(
                f"<item><title>photo {number}</title><wp:post_id>{post_id + 1}</wp:post_id>"
                f"<wp:post_parent>{post_id}</wp:post_parent><wp:status>inherit</wp:status>"
                f"<wp:post_type>attachment</wp:post_type>"
                f"<excerpt:encoded><![CDATA[Школа. Фото: пресс-служба]]></excerpt:encoded>"
                f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
                f"<wp:meta_value>2020/01/photo-{number}.jpg</wp:meta_value></wp:postmeta>"
                f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                f"<wp:meta_value>Школа {number}</wp:meta_value></wp:postmeta></item>\n"
            )
    file.write("</channel></rss>\n")
