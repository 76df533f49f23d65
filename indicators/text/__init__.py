"""Text: numbers (Arabic and Chinese numerals in text) and units (the pint registry with Chinese units and count dimensions)."""
