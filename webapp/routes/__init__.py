"""Route modules not yet moved into their area's package (webapp/<area>/)."""
