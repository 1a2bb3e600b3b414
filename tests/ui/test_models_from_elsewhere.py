"""Models written while the window is open (issue 21, item 8): a fine-tune run from the
command line is noticed by the open window, which loads it and says so; ``predict``'s
columns name the models that answered."""

from __future__ import annotations

import re

from benchmarks.handwriting import fill_store
from digitpad.cli import main
from digitpad.core import SampleStore, fine_tune, samples_dir

FINE_TUNE_TIMEOUT_MS = 120_000


def test_the_window_notices_models_fine_tuned_elsewhere_and_predict_names_them(
    qtbot, window, dense_only, capsys
):
    fill_store(SampleStore(), 1)
    assert window.results.panels["dense"].title() == "Dense"

    # What `digitpad fine-tune` does in a terminal, while the window is open.
    fine_tune(SampleStore(), bundled_dir=dense_only)

    qtbot.waitUntil(
        lambda: window.results.panels["dense"].title() == "Dense (yours)",
        timeout=FINE_TUNE_TIMEOUT_MS,
    )
    message = window.statusBar().currentMessage()
    assert message == "Your models folder changed: now reading with Dense (yours), CNN"
    assert window.handwriting.actions.use_originals.isEnabled()

    capsys.readouterr()
    assert main(["predict", str(samples_dir() / "digit-7.png")]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert re.split(r"\s{2,}", header.strip())[1:] == ["Dense (yours)", "CNN"]


def test_an_unchanged_folder_reloads_nothing(qtbot, window):
    watcher = window.handwriting.models_watcher
    folder = watcher.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.txt").write_text("not a model\n")
    with qtbot.assertNotEmitted(window.handwriting.modelsReloaded, wait=1000):
        pass
