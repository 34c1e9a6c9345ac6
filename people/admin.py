"""The admins of Person and Place are in ``articles/admin/people.py``: saving
one refreshes the articles that mention it (an articles service), and
``people`` imports nothing from ``articles``. Their URLs are still
``/admin/people/...`` (from the models' app label)."""
