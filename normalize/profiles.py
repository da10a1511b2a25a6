"""Scoring profiles: the numbers of scoring.md that vary by province and year, kept in profiles/*.toml."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROFILE_DIR = Path(__file__).with_name("profiles")
DEFAULT_PROFILE = "mof-2020"


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    budget_weight: float
    total_weight: float
    indicator_block_weight: float | None
    detect: tuple[str, ...]
    tiers: dict[str, tuple[float, float]]
    grades: dict[str, float]
    expected_group_weights: dict[str, float] = field(default_factory=dict)

    def grade(self, score: float | None) -> str | None:
        """Grade of a score by the profile's bands (highest band whose lower bound it reaches)."""
        if score is None:
            return None
        for grade, low in sorted(self.grades.items(), key=lambda kv: -kv[1]):
            if score >= low - 1e-9:
                return grade
        return None


def _load(path: Path) -> Profile:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Profile(
        name=data["name"],
        description=data.get("description", ""),
        budget_weight=float(data["budget_weight"]),
        total_weight=float(data.get("total_weight", 100.0)),
        indicator_block_weight=data.get("indicator_block_weight"),
        detect=tuple(data.get("detect", ())),
        tiers={k: (float(v[0]), float(v[1])) for k, v in data["tiers"].items()},
        grades={k: float(v) for k, v in data["grades"].items()},
        expected_group_weights={k: float(v) for k, v in data.get("expected_group_weights", {}).items()},
    )


@lru_cache(maxsize=None)
def all_profiles() -> dict[str, Profile]:
    return {p.name: p for p in map(_load, sorted(PROFILE_DIR.glob("*.toml")))}


def get_profile(name: str) -> Profile:
    profiles = all_profiles()
    if name not in profiles:
        raise KeyError(f"unknown profile {name!r}; known: {', '.join(sorted(profiles))}")
    return profiles[name]


def choose_profile(header_text: str, override: str | None = None) -> Profile:
    """The user's choice if given, else the first profile whose markers occur in the form's headers."""
    if override:
        return get_profile(override)
    compact = "".join(header_text.split())
    for profile in all_profiles().values():
        if any(marker in compact for marker in profile.detect):
            return profile
    return get_profile(DEFAULT_PROFILE)
