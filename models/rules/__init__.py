"""Pure rule functions for Tafel: no database, no web, only the rules of PRODUCT.md."""
