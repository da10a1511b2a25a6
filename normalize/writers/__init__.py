"""Writers of the canonical dataset: CSV folders, one SQLite database, an auditors' workbook, Parquet.

Every file is written to a temporary name beside its target and moved into place with os.replace, so an
interrupted run never leaves a half-written output.
"""
