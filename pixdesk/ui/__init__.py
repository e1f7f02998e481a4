"""PySide6 lives here and nowhere else: screens, invigilator panel, kiosk guard, workers."""
