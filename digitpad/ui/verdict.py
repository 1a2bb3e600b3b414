"""How the app words an answer: stated, hedged when unsure, and when the models disagree.

Plain functions over core values, so the wording is one thing tested without widgets.
"""

from __future__ import annotations

from collections.abc import Mapping

from digitpad.core import ModelPrediction, Prediction

NOT_A_DIGIT_TEXT = "not a digit"
NOT_A_DIGIT_HEADLINE = "That doesn't look like a digit"


def is_unsure(answer: ModelPrediction) -> bool:
    return answer.is_unsure


def digit_text(answer: ModelPrediction) -> str:
    """The big digit: ``7``, ``7?`` when the model is unsure, ``?`` for no digit at all."""
    if not answer.is_digit:
        return "?"
    return f"{answer.digit}?" if is_unsure(answer) else str(answer.digit)


def confidence_text(answer: ModelPrediction) -> str:
    """The line under the big digit: ``98% sure``, ``unsure (45%)`` or ``not a digit``."""
    if not answer.is_digit:
        return NOT_A_DIGIT_TEXT
    if is_unsure(answer):
        return f"unsure ({answer.confidence:.0%})"
    return f"{answer.confidence:.0%} sure"


def a_digit(digit: int) -> str:
    """The digit with its article, as said aloud: "a 7", "an 8"."""
    return f"an {digit}" if digit == 8 else f"a {digit}"


def headline_text(answer: ModelPrediction | None, display_name: str) -> str:
    """The window's one-line answer from the headline model."""
    if answer is None:
        return "Draw a digit, or open an image"
    if not answer.is_digit:
        return f"{NOT_A_DIGIT_HEADLINE} ({display_name})"
    said, confidence = a_digit(answer.digit), f"{answer.confidence:.0%}"
    if is_unsure(answer):
        return f"Probably {said}? ({display_name} is unsure: {confidence})"
    return f"It's {said} ({display_name}, {confidence} sure)"


def rejecting_model(prediction: Prediction, headline: str) -> str | None:
    """The model whose "not a digit" the headline should carry instead of its own answer.

    A headline model with its own rule speaks for itself. One without a rule calls
    everything a digit, so when another model that can tell says "not a digit", that
    verdict wins: a letter must not be announced as "It's a 4" just because the
    headline model was never taught to refuse.
    """
    answer = prediction.answers.get(headline)
    if answer is None or answer.can_reject:
        return None
    return next(
        (a.model for a in prediction.answers.values() if a.can_reject and not a.is_digit),
        None,
    )


def _said(answer: ModelPrediction) -> str:
    return str(answer.digit) if answer.is_digit else NOT_A_DIGIT_TEXT


def disagreement_text(prediction: Prediction, display_names: Mapping[str, str]) -> str:
    """``The models disagree: Dense says 1, CNN says 7.``, or "" when they agree."""
    answers = list(prediction.answers.values())
    if len({_said(answer) for answer in answers}) <= 1:
        return ""
    said = ", ".join(
        f"{display_names.get(answer.model, answer.model)} says {_said(answer)}"
        for answer in answers
    )
    return f"The models disagree: {said}."


def spoken_summary(prediction: Prediction, display_names: Mapping[str, str]) -> str:
    """One sentence for screen readers covering every model's answer."""
    if prediction.nothing_drawn:
        return "Nothing drawn; no prediction."
    parts = [
        f"{display_names.get(a.model, a.model)}: "
        + (
            f"{a.digit}, {a.confidence:.0%}" + (" (unsure)" if is_unsure(a) else "")
            if a.is_digit
            else NOT_A_DIGIT_TEXT
        )
        for a in prediction.answers.values()
    ]
    return "; ".join(parts) + "."
