"""Git hooks that `casefile init` installs (client side) and a desk installs on its server."""
