"""forceplan: force-structure planning optimizer (Excel in, optimal plans out)."""

__version__ = "0.1.0"
