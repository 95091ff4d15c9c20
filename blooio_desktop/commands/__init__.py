"""Subcommands of `blooio-desktop`; each module exposes HELP, add_arguments(parser) and run(args)."""
