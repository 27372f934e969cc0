from tests.notices.conftest import make_town, text_of, town  # noqa: F401  (shared fixtures)
