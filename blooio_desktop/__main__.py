"""`python -m blooio_desktop` runs the same entry point as the `blooio-desktop` command."""

from blooio_desktop.cli import main

raise SystemExit(main())
