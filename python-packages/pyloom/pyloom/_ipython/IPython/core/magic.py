"""``IPython.core.magic`` for Pyloom: define and register your own magics as in IPython."""

from pyloom.magics.core import (  # noqa: F401
    Magics,
    cell_magic,
    line_cell_magic,
    line_magic,
    magics_class,
    needs_local_scope,
    no_var_expand,
    register_cell_magic,
    register_line_cell_magic,
    register_line_magic,
)
