"""`casefile board`: the live board of the open cases — a front end above the `Desk`, like `cli/`."""
