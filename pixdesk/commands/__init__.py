"""One module per ``pixdesk`` subcommand (see ``pixdesk.cli``)."""
