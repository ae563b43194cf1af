"""CRA Art. 14 report payloads (JSON, with a published schema) and their Markdown rendering."""
