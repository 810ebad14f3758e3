"""Import side of wushe: read CSV/XLSX files, validate them against the schema, write them.

Typical use::

    from wushe.loaders import read_import
    tables = read_import("my_folder/")          # raises ValidationError listing all problems
    store.load(tables)

See docs/import-format.md for the format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from wushe.loaders.credit_code import is_valid_credit_code, make_credit_code
from wushe.loaders.integrity import StoreLookup
from wushe.loaders.privacy import hash_sensitive, mask_name, resolve_salt
from wushe.loaders.reading import RawTable, read_path, read_upload
from wushe.loaders.template import import_format_markdown, write_template
from wushe.loaders.validate import ImportResult, Notice, validate
from wushe.loaders.writer import write_tables

__all__ = [
    "ImportResult",
    "Notice",
    "RawTable",
    "hash_sensitive",
    "import_format_markdown",
    "is_valid_credit_code",
    "make_credit_code",
    "mask_name",
    "read_import",
    "read_import_files",
    "read_path",
    "read_upload",
    "resolve_salt",
    "salt_for_store",
    "validate",
    "write_tables",
    "write_template",
]


def salt_for_store(backend: object) -> bytes:
    """The salt for hashing sensitive values into ``backend``.

    ``WUSHE_SALT`` when set; else the salt file in the user's configuration folder, never
    one in the store folder (see :mod:`loaders.privacy`; a salt an older wushe left in the
    store folder, or in ``~/.wushe`` for a server store, is moved there). Set ``WUSHE_SALT``
    on every machine that loads into a shared Neo4j so that hashes agree.
    """
    folder = getattr(backend, "path", None)
    return resolve_salt(folder if isinstance(folder, Path) else Path.home() / ".wushe")


def read_import(path: str | Path, *,
                existing_labels: Callable[[Iterable[str]], dict[str, str]] | None = None,
                salt: bytes | str | None = None, update: bool = False,
                store: StoreLookup | None = None,
                replacing: StoreLookup | None = None) -> ImportResult:
    """Read and validate an import (a folder of CSV/XLSX files, a workbook or a CSV file).

    Parameters
    ----------
    path : str or Path
        What to import.
    existing_labels : callable, optional
        ``store.existing_labels`` for an incremental load (see :func:`validate`).
    salt : bytes or str, optional
        Salt for sensitive values; pass ``resolve_salt(store_folder)`` for the embedded store.
    update : bool, optional (default=False)
        Ids already stored are corrections of those nodes (see :func:`validate`); load
        the result with ``store.load(tables, update=True)``.
    store : GraphBackend, optional
        The store of an incremental load: the import is checked against it as a whole (see
        :func:`validate`). Call this inside ``store.load(lambda: read_import(...))`` so the
        check and the write happen under one load lock.
    replacing : GraphBackend, optional
        The store a replacing import replaces: ends naming its nodes get a message that
        names them and says to add instead (see :func:`validate`).

    Returns
    -------
    ImportResult
        Typed tables ready for ``store.load``, with ``warnings``.

    Raises
    ------
    ValidationError
        Listing every problem found.
    """
    return validate(read_path(path), existing_labels=existing_labels, salt=salt, update=update,
                    store=store, replacing=replacing)


def read_import_files(files: Sequence[tuple[str, bytes]], *,
                      existing_labels: Callable[[Iterable[str]], dict[str, str]] | None = None,
                      salt: bytes | str | None = None, update: bool = False,
                      store: StoreLookup | None = None,
                      replacing: StoreLookup | None = None) -> ImportResult:
    """Read and validate uploaded files, given as ``(file name, bytes)``.

    Each file is read as :func:`read_upload` reads it (CSV, or XLSX by sheet); the
    parameters and result are those of :func:`read_import`.

    Raises
    ------
    ValidationError
        Listing every problem found.
    """
    raw = [t for name, data in files for t in read_upload(name, data)]
    return validate(raw, existing_labels=existing_labels, salt=salt, update=update,
                    store=store, replacing=replacing)
