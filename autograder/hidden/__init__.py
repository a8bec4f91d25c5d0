"""Hidden tests, one module per assignment; the instructor notebooks call them from their hidden test blocks."""
