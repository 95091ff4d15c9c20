"""Plain domain layer: models, status order, events, errors. No I/O, no Qt."""
