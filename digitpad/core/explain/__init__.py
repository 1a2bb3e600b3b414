"""Why a model answered what it did: heat maps, nearest training digits, inner layers."""

from __future__ import annotations

from digitpad.core.explain._explain import (
    Explainer,
    Explanation,
    explain,
    neighbour_cache_dir,
)
from digitpad.core.explain._heat_map import (
    AGAINST_ANSWER,
    FOR_ANSWER,
    heat_map_over_input,
    heat_map_rgba,
)
from digitpad.core.explain._neighbours import (
    MAX_CACHE_BYTES,
    MAX_CACHED,
    Neighbour,
    NeighbourIndex,
    compute_features,
    model_sha256,
)
from digitpad.core.explain._saliency import (
    occlusion_saliency,
)

__all__ = [
    "AGAINST_ANSWER",
    "FOR_ANSWER",
    "MAX_CACHED",
    "MAX_CACHE_BYTES",
    "Explainer",
    "Explanation",
    "Neighbour",
    "NeighbourIndex",
    "compute_features",
    "explain",
    "heat_map_over_input",
    "heat_map_rgba",
    "model_sha256",
    "neighbour_cache_dir",
    "occlusion_saliency",
]
