"""Job-only (copied into the Wine CI job's Windows Python, never into the app).

Wine 8.0 lacks kernel32.CopyFile2, which CPython 3.12's shutil.copy2 calls when _winapi has
it; without the attribute shutil copies by reading and writing, as older Pythons did.
"""

import _winapi

if hasattr(_winapi, "CopyFile2"):
    del _winapi.CopyFile2
