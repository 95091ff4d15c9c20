"""The look, in ONE place: Fusion palettes for light and dark, the stylesheet, fonts, colours.

Delegates paint with `colors_for(palette)` so a theme switch needs no re-plumbing: they read the
palette of the widget they paint on, and the palette tells light from dark.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES: tuple[str, ...] = ("system", "light", "dark")
FONT_FAMILIES: list[str] = [
    "Inter",
    "SF Pro Text",
    "Segoe UI",
    "Cantarell",
    "Noto Sans",
    "DejaVu Sans",
]


@dataclass(frozen=True, slots=True)
class ThemeColors:
    dark: bool
    window: str
    sidebar: str
    surface: str  # inputs, cards
    text: str
    secondary: str
    separator: str
    accent: str
    selection: str
    bubble_in: str
    bubble_in_text: str
    bubble_imessage: str
    bubble_sms: str
    bubble_out_text: str
    read_tick: str
    danger: str
    warning_bg: str
    warning_text: str
    badge: str

    def q(self, name: str) -> QColor:
        return QColor(getattr(self, name))


LIGHT = ThemeColors(
    dark=False,
    window="#ffffff",
    sidebar="#f4f4f6",
    surface="#ffffff",
    text="#1d1d1f",
    secondary="#86868b",
    separator="#e3e3e8",
    accent="#0a84ff",
    selection="#dcebff",
    bubble_in="#e9e9eb",
    bubble_in_text="#1d1d1f",
    bubble_imessage="#0a84ff",
    bubble_sms="#30b94d",
    bubble_out_text="#ffffff",
    read_tick="#0a84ff",
    danger="#e5383b",
    warning_bg="#fff4d6",
    warning_text="#6b4e00",
    badge="#0a84ff",
)

DARK = ThemeColors(
    dark=True,
    window="#1c1c1e",
    sidebar="#242427",
    surface="#2c2c2e",
    text="#f2f2f7",
    secondary="#98989f",
    separator="#38383c",
    accent="#0a84ff",
    selection="#1f3a5c",
    bubble_in="#3a3a3c",
    bubble_in_text="#f2f2f7",
    bubble_imessage="#0a84ff",
    bubble_sms="#2fa84a",
    bubble_out_text="#ffffff",
    read_tick="#64b5ff",
    danger="#ff5a5f",
    warning_bg="#3d3215",
    warning_text="#ffd97a",
    badge="#0a84ff",
)


def colors_for(palette: QPalette) -> ThemeColors:
    """The theme colours matching a palette: dark when its text is light.

    Text, not background: stylesheets make view backgrounds transparent, which reads as black.
    """
    return DARK if palette.color(QPalette.ColorRole.WindowText).lightness() > 128 else LIGHT


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve_dark(mode: str) -> bool:
    """`mode` is one of THEMES; "system" follows the desktop's light/dark preference."""
    if mode == "dark":
        return True
    if mode == "light":
        return False
    return system_prefers_dark()


def build_palette(c: ThemeColors) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    for r, value in (
        (role.Window, c.window),
        (role.WindowText, c.text),
        (role.Base, c.surface),
        (role.AlternateBase, c.sidebar),
        (role.Text, c.text),
        (role.Button, c.surface),
        (role.ButtonText, c.text),
        (role.ToolTipBase, c.surface),
        (role.ToolTipText, c.text),
        (role.PlaceholderText, c.secondary),
        (role.Highlight, c.accent),
        (role.HighlightedText, "#ffffff"),
        (role.Link, c.accent),
        (role.Mid, c.separator),
        (role.Midlight, c.separator),
    ):
        pal.setColor(r, QColor(value))
    for r in (role.Text, role.WindowText, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, r, QColor(c.secondary))
    return pal


def stylesheet(c: ThemeColors) -> str:
    return f"""
QMainWindow, QDialog {{ background: {c.window}; }}
QWidget#Sidebar {{ background: {c.sidebar}; border-right: 1px solid {c.separator}; }}
QWidget#ThreadHeader {{ background: {c.window}; border-bottom: 1px solid {c.separator}; }}
QLabel#ThreadTitle {{ font-size: 15px; font-weight: 600; }}
QLabel#ThreadSubtitle {{ color: {c.secondary}; font-size: 12px; }}
QLabel#EmptyState {{ color: {c.secondary}; font-size: 14px; }}
QLabel#SectionHeader {{ color: {c.secondary}; font-size: 11px; font-weight: 600; padding: 8px 14px 2px 14px; }}
QListView {{ background: transparent; border: none; outline: none; }}
QListView#ThreadView {{ background: {c.window}; }}
QLineEdit#SearchBox {{
    background: {c.surface}; border: 1px solid {c.separator}; border-radius: 9px;
    padding: 6px 8px; selection-background-color: {c.accent};
}}
QLineEdit#SearchBox:focus {{ border: 1px solid {c.accent}; }}
QWidget#Composer {{ background: {c.window}; border-top: 1px solid {c.separator}; }}
QPlainTextEdit#ComposerEdit {{
    background: {c.surface}; border: 1px solid {c.separator}; border-radius: 17px;
    padding: 6px 10px; selection-background-color: {c.accent};
}}
QPlainTextEdit#ComposerEdit:focus {{ border: 1px solid {c.accent}; }}
QToolButton#SendButton {{
    background: {c.accent}; color: white; border: none; border-radius: 16px;
    min-width: 32px; min-height: 32px; max-width: 32px; max-height: 32px; font-weight: 700;
}}
QToolButton#SendButton:disabled {{ background: {c.separator}; color: {c.secondary}; }}
QToolButton#AttachButton, QToolButton#HeaderButton {{
    border: none; border-radius: 14px; min-width: 28px; min-height: 28px; color: {c.secondary};
}}
QToolButton#AttachButton {{ min-width: 32px; min-height: 32px; border-radius: 16px; }}
QToolButton#AttachButton:hover, QToolButton#HeaderButton:hover {{ background: {c.separator}; }}
QFrame#Chip {{ background: {c.sidebar}; border: 1px solid {c.separator}; border-radius: 12px; }}
QFrame#Chip[state="warning"] {{ border: 1px solid #e0a800; }}
QFrame#Chip[state="error"] {{ border: 1px solid {c.danger}; }}
QLabel#ChipDetail {{ color: {c.secondary}; font-size: 11px; }}
QToolButton#ChipClose {{ border: none; color: {c.secondary}; padding: 0 2px; }}
QLabel#ReplyPreview {{ color: {c.secondary}; border-left: 3px solid {c.accent}; padding-left: 8px; }}
QLabel#InlineError {{ color: {c.danger}; }}
QFrame#Banner {{ background: {c.warning_bg}; border-bottom: 1px solid {c.separator}; }}
QFrame#Banner QLabel {{ color: {c.warning_text}; }}
QFrame#Banner QPushButton {{
    background: {c.accent}; color: white; border: none; border-radius: 7px; padding: 4px 12px;
    font-weight: 600;
}}
QPushButton#NewMessagesButton {{
    background: {c.accent}; color: white; border: none; border-radius: 13px;
    padding: 5px 14px; font-weight: 600;
}}
QLabel#TypingLabel {{ color: {c.secondary}; font-style: italic; padding: 0 18px; }}
QSplitter::handle {{ background: {c.separator}; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
QScrollBar::handle:vertical {{ background: {c.separator}; border-radius: 3px; min-height: 32px; }}
QScrollBar::handle:vertical:hover {{ background: {c.secondary}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QStatusBar {{ background: {c.sidebar}; color: {c.secondary}; border-top: 1px solid {c.separator}; }}
QStatusBar::item {{ border: none; }}
QMenu {{ background: {c.surface}; border: 1px solid {c.separator}; padding: 4px; }}
QMenu::item {{ padding: 5px 22px 5px 14px; border-radius: 5px; }}
QMenu::item:selected {{ background: {c.accent}; color: white; }}
QToolTip {{ background: {c.surface}; color: {c.text}; border: 1px solid {c.separator}; }}
"""


def app_font() -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(10.5)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def apply_theme(app: QApplication, mode: str) -> ThemeColors:
    """Style the whole application for `mode` ("system" / "light" / "dark"); returns the colours used."""
    colors = DARK if resolve_dark(mode) else LIGHT
    app.setStyle("Fusion")
    app.setFont(app_font())
    app.setPalette(build_palette(colors))
    app.setStyleSheet(stylesheet(colors))
    return colors
