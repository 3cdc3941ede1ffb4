"""The pages claims rest on, kept: fetched (or attached by hand), read, and stored as WARC records.

The public face: `capture.fetch_pages` and `capture.attach_file` (used by `claimtrack source`),
`capture.verify_all` (by `check`), `warc.copy_folder` (by `backup`) and `extract.extract` (pure: bytes in,
text and metadata out). Nothing here is imported by the everyday read commands.
"""
