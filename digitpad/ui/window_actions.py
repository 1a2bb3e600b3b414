"""The main window's actions (text, shortcuts, tooltips) and the menus that show them.

Kept apart from the window so every command is declared in one place; the window only
connects the actions' signals to its ``_on_*`` handlers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle

Key = QKeySequence.StandardKey


@dataclass
class WindowActions:
    open: QAction
    save: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    clear: QAction
    copy_digit: QAction
    paste_image: QAction
    pen: QAction
    eraser: QAction
    tools: QActionGroup
    show_all: QAction
    explain: QAction
    robustness: QAction
    headline: QActionGroup
    models: QAction
    shortcuts: QAction
    about: QAction
    recent_menu: QMenu
    edit_menu: QMenu
    help_menu: QMenu


def _action(
    window: QMainWindow,
    text: str,
    tip: str,
    shortcuts: Sequence[QKeySequence | Key | str] = (),
    icon: QStyle.StandardPixmap | None = None,
) -> QAction:
    action = QAction(text, window)
    keys: list[QKeySequence] = []
    for shortcut in shortcuts:
        for key in (
            QKeySequence.keyBindings(shortcut)
            if isinstance(shortcut, Key)
            else [QKeySequence(shortcut)]
        ):
            if key not in keys:
                keys.append(key)
    action.setShortcuts(keys)
    shown = f" ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})" if keys else ""
    action.setToolTip(f"{tip}{shown}")
    action.setStatusTip(tip)
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    return action


def build_actions(window: QMainWindow, model_names: dict[str, str]) -> WindowActions:
    """Create every action and the menu bar; ``model_names`` maps name -> display name."""
    pixmap = QStyle.StandardPixmap
    actions = WindowActions(
        open=_action(window, "&Open Image…", "Open an image of a digit", [Key.Open],
                     pixmap.SP_DialogOpenButton),
        save=_action(window, "&Save Drawing…", "Save the drawing as a PNG image", [Key.Save],
                     pixmap.SP_DialogSaveButton),
        quit=_action(window, "&Quit", "Quit digitpad", [Key.Quit, "Ctrl+Q"]),
        undo=_action(window, "&Undo", "Undo the last thing done: a stroke, a clear, a kept "
                     "sample", ["Ctrl+Z", Key.Undo]),
        redo=_action(window, "&Redo", "Redo the stroke undone",
                     ["Ctrl+Shift+Z", "Ctrl+Y", Key.Redo]),
        clear=_action(window, "C&lear", "Clear the canvas", ["Esc", "Del"]),
        copy_digit=_action(window, "&Copy Digit", "Copy the headline digit", [Key.Copy]),
        paste_image=_action(window, "&Paste Image", "Paste an image from the clipboard",
                            [Key.Paste]),
        pen=_action(window, "&Pen", "Draw with the brush", ["B"]),
        eraser=_action(window, "&Eraser", "Rub out ink", ["E"]),
        tools=QActionGroup(window),
        show_all=_action(window, "Show &All Models",
                         "Show every model's answer, or only the headline model's"),
        explain=_action(window, "&Why? Explain the Answers",
                        "Show what each model looked at, the training digits it finds alike "
                        "and its inner layers", ["Ctrl+I"]),
        robustness=_action(window, "&Robustness…",
                           "See how each model's answer moves when the drawing is shifted, "
                           "turned, scaled, thinned or made noisy", ["Ctrl+R"]),
        headline=QActionGroup(window),
        models=_action(window, "&Models…", "Show the loaded models and any that failed"),
        shortcuts=_action(window, "&Keyboard Shortcuts…", "Every key digitpad answers to",
                          [Key.HelpContents]),
        about=_action(window, "&About digitpad", "Version and models"),
        recent_menu=QMenu("Open &Recent", window),
        edit_menu=QMenu("&Edit", window),
        help_menu=QMenu("&Help", window),
    )  # fmt: skip
    # Shorter labels on the toolbar; the menus keep the full text.
    actions.open.setIconText("Open")
    actions.save.setIconText("Save")
    actions.show_all.setIconText("Show all")
    for tool in (actions.pen, actions.eraser):
        tool.setCheckable(True)
        actions.tools.addAction(tool)
    actions.pen.setChecked(True)
    actions.show_all.setCheckable(True)
    actions.explain.setIconText("Why?")
    actions.explain.setCheckable(True)
    actions.robustness.setIconText("Robustness")
    for name, display_name in model_names.items():
        choice = QAction(display_name, window)
        choice.setData(name)
        choice.setCheckable(True)
        choice.setToolTip(f"Make the {display_name} model's answer the headline")
        actions.headline.addAction(choice)
    actions.headline.setExclusive(True)

    menus = window.menuBar()
    file_menu = menus.addMenu("&File")
    file_menu.addActions([actions.open])
    file_menu.addMenu(actions.recent_menu)
    file_menu.addActions([actions.save])
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    edit_menu = actions.edit_menu
    menus.addMenu(edit_menu)
    edit_menu.addActions([actions.undo, actions.redo, actions.clear])
    edit_menu.addSeparator()
    edit_menu.addActions([actions.copy_digit, actions.paste_image])
    edit_menu.addSeparator()
    edit_menu.addActions([actions.pen, actions.eraser])
    view_menu = menus.addMenu("&View")
    headline_menu = view_menu.addMenu("&Headline Model")
    headline_menu.addActions(actions.headline.actions())
    view_menu.addAction(actions.show_all)
    view_menu.addAction(actions.explain)
    view_menu.addAction(actions.robustness)
    menus.addMenu(actions.help_menu)
    actions.help_menu.addActions([actions.shortcuts, actions.models, actions.about])
    return actions
