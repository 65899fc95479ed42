"""Writers that turn a :class:`~storylens.core.model.Comparison` into files to share."""
