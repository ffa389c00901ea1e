"""Russian, Kazakh and English catalogues: complete, compiled, and used by the admin too."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["ru", "kk", "en"]


def compiled(language, domain):
    with open(LOCALE / language / "LC_MESSAGES" / f"{domain}.mo", "rb") as file:
        catalogue = gettext.GNUTranslations(file)._catalog
    return {key if isinstance(key, str) else key[0]: value for key, value in catalogue.items()}


def source_ids(language, domain):
    """Each entry's id as the compiled catalogue keys it: «context\x04msgid» when it has one."""
    text = (LOCALE / language / "LC_MESSAGES" / f"{domain}.po").read_text()
    ids = set()
    entry = r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)'
    for context, block in re.findall(entry, text, flags=re.M):
        msgid = joined(block)
        ids.add(f"{joined(context)}\x04{msgid}" if context and msgid else msgid)
    return ids - {""}


def joined(block):
    return unescape("".join(re.findall(r'"(.*)"', block)))


def unescape(po_string):
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda match: escapes.get(match[1], match[0]), po_string)


@pytest.mark.parametrize("domain", ["django", "djangojs"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_compiled(language, domain):
    catalogue = compiled(language, domain)
    missing = {msgid for msgid in source_ids(language, domain) if not catalogue.get(msgid)}
    assert not missing, f"{language}/{domain}: untranslated or not compiled: {sorted(missing)[:5]}"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_three_catalogues_hold_the_same_messages(domain):
    ru = source_ids("ru", domain)
    assert source_ids("kk", domain) == ru
    assert source_ids("en", domain) == ru


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "word"), [("", "Войти"), ("/kk", "Кіру"), ("/en", "Log in")])
def test_the_admin_speaks_the_language_of_its_address(client, prefix, word):
    response = client.get(f"{prefix}/admin/login/")
    assert response.status_code == 200
    assert word in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "label"), [("", "Заголовок"), ("/kk", "Тақырып"), ("/en", "Headline")]
)
def test_an_editor_writes_a_story_in_the_admin_in_any_of_the_three_languages(client, prefix, label):
    from tests.factories import make_editor

    client.force_login(make_editor())
    for url in ["/admin/articles/article/add/", "/admin/media/photo/upload/", "/admin/"]:
        response = client.get(prefix + url)
        assert response.status_code == 200, prefix + url
    assert label in client.get(prefix + "/admin/articles/article/add/").content.decode()
