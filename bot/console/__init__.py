"""The staff console: where interpreters and midwives answer women who asked for a person (`doula console`).

Modules: :mod:`~bot.console.app` (the web app and its JSON API), :mod:`~bot.console.access` (who may do what),
:mod:`~bot.console.staff` (accounts and logins), :mod:`~bot.console.sessions` (cookies and CSRF),
:mod:`~bot.console.passwords` (scrypt hashes) and :mod:`~bot.console.metrics` (response times per language).
Staff texts are in content/staff/console.yml; the staff guide is docs/console.md.
"""
