"""
The project's own extensions to Django, shared by the apps and belonging to none:
the admin's base classes (admin.py), SQLite's Unicode LIKE (sqlite.py), the request
guards and the 503 page (middleware.py), the site's public address (address.py), the
language editions (editions.py), the access log without secrets (access_log.py).
An app may import from here; nothing here imports an app.
"""
