"""PixDesk: offline-first desktop client for the Pix certification.

Importing the package stays cheap and Qt-free: only the version lives here.
"""

__version__ = "0.1.0"
