"""Which digit to ask for next while a person teaches digitpad their handwriting.

Plain Python, no Qt: the plan is derived from how many samples of each digit the store
already holds, so a session left half-way resumes where it stopped (even after a
restart), and samples kept by correcting readings count too.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_REPEATS = 5
MAX_REPEATS = 50


@dataclass
class TeachingPlan:
    """Ask for each digit ``repeats`` times in a random order.

    ``prompts`` are the digits still to ask for, the next first; ``kept`` counts the
    drawings already in the samples towards the goal. Skipped prompts leave the plan
    for this session (they come back in a new one).
    """

    repeats: int
    prompts: list[int]
    kept: int
    _history: list[tuple[str, int]] = field(default_factory=list, repr=False)

    @classmethod
    def from_counts(
        cls, counts: Mapping[int, int], repeats: int, rng: random.Random | None = None
    ) -> TeachingPlan:
        """The plan that brings every digit up to ``repeats`` samples, shuffled."""
        repeats = max(1, min(int(repeats), MAX_REPEATS))
        have = {digit: min(max(0, counts.get(digit, 0)), repeats) for digit in range(10)}
        prompts = [digit for digit in range(10) for _ in range(repeats - have[digit])]
        (rng or random.Random()).shuffle(prompts)
        return cls(repeats=repeats, prompts=prompts, kept=sum(have.values()))

    @property
    def total(self) -> int:
        """Drawings in the whole plan: every digit ``repeats`` times."""
        return 10 * self.repeats

    @property
    def current(self) -> int | None:
        """The digit to draw now, or None when the plan is finished."""
        return self.prompts[0] if self.prompts else None

    @property
    def position(self) -> int:
        """The number of the current prompt, 1-based ("12 of 50"); skipped ones count."""
        return self.total - len(self.prompts) + 1

    @property
    def finished(self) -> bool:
        return not self.prompts

    def keep(self) -> int:
        """The current digit was drawn and kept; returns it."""
        digit = self.prompts.pop(0)
        self.kept += 1
        self._history.append(("kept", digit))
        return digit

    def skip(self) -> int:
        """Pass over the current digit for this session; returns it."""
        digit = self.prompts.pop(0)
        self._history.append(("skipped", digit))
        return digit

    def can_undo(self) -> bool:
        return bool(self._history)

    def undo(self) -> tuple[str, int]:
        """Ask again for the digit last kept or skipped; returns ("kept"|"skipped", digit).

        The caller removes the kept sample from the store.
        """
        action, digit = self._history.pop()
        self.prompts.insert(0, digit)
        if action == "kept":
            self.kept -= 1
        return action, digit
