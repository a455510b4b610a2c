"""``IPython.terminal`` for Pyloom (there is no terminal shell; libraries import it to test for one)."""
