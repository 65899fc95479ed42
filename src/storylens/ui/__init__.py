"""The reader: a Textual app over a :class:`~storylens.core.model.Comparison`."""
