"""The English catalog translates every text of the app; Chinese is the source language."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
    # A context tells apart one Chinese word that needs two English ones ("plural": 代表 -> Deputies).
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
}
METHODS = [("supervise/**.py", "python"), ("templates/**.html", "jinja2")]


def source_messages() -> set[tuple[str, str | None]]:
    found = set()
    # Like `make extract`: skip only hidden directories (babel's default also skips templates/_macros).
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT),
        METHODS,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {}},
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        found.add((message if isinstance(message, str) else message[0], context))
    return found


def catalog(locale: str):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


def test_every_text_in_the_code_has_an_english_translation():
    english = catalog("en")
    missing = sorted(
        (m, c or "") for m, c in source_messages() if not (english.get(m, c) and english.get(m, c).string)
    )
    assert not missing, (
        f"{len(missing)} texts lack an English translation (run `make extract`): {missing[:15]}"
    )


def test_english_translations_keep_their_placeholders():
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]")

    def names(text) -> set[str]:
        # A plural entry (ngettext) holds its forms as a tuple: every form keeps every placeholder.
        forms = text if isinstance(text, tuple) else (text,)
        found = {frozenset(placeholder.findall(form)) for form in forms}
        return set(found.pop()) if len(found) == 1 else {"forms differ"}

    wrong = [m.id for m in catalog("en") if m.id and m.string and names(m.id) != names(m.string)]
    assert not wrong, f"placeholders differ in: {wrong[:10]}"


def test_pages_render_in_english_when_chosen(client, login_as):
    login_as("presidium")
    client.post("/language", data={"locale": "en"})
    body = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in body
    assert "Sign out" in body or "Log out" in body
    assert "退出" not in body
