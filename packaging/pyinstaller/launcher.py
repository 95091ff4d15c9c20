"""PyInstaller's entry script: the bundle's executable runs the same `main()` as the installed command."""

from blooio_desktop.cli import main

raise SystemExit(main())
