"""The certification engine: pure Python + numpy, fed the clock by its caller.

No Qt, SQL, HTTP or clock reads here (checked by import-linter), so the same engine runs
on the candidate's PC and re-scores results on the server.
"""
