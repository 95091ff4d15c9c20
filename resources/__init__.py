"""Blooio Desktop's artwork, installed as the `blooio_desktop.resources` package.

`app/icon.svg` is the app icon (`app/icon-<size>.png` are rendered from it by `generate_icons.py`);
`icons/*.svg` are monochrome UI icons drawn in `currentColor`, recoloured per palette by
`blooio_desktop.ui.icons`. Read them with `importlib.resources`, never by path, so zipped and
frozen installs work too.
"""
