"""The JSON API (/api/v1/) for field apps and county portals: personal access tokens, OpenAPI 3.1.

Built with flask-smorest (marshmallow schemas document and check each operation). Its rules:

- a request is signed in by ``Authorization: Bearer <token>`` alone (``auth.py``); the session
  cookie is never read here, and tokens never sign in the pages;
- who may see and do what is asked of the same predicates and queries as the pages, through the
  domains' operations; another township's record is a 404;
- every write takes an ``Idempotency-Key`` (``idempotency.py``);
- errors are ``application/problem+json`` (``problems.py``), lists are paged by cursor, dates ISO 8601;
- answers read over and over ("my items", a public notice) are kept whole under everything they are
  made of, data versions included (``answers.py``), as the pages keep theirs.
"""
