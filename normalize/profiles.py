"""Scoring profiles: the numbers of scoring.md that vary by province and year, kept in profiles/*.toml."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jixiao.patterns import datafile
from jixiao.patterns.datafile import Optional, Table

PROFILE_DIR = Path(__file__).with_name("profiles")
DEFAULT_PROFILE = "mof-2020"
SCHEMA = {
    "name": str, "description": str, "budget_weight": float, "total_weight": Optional(float),
    "detect": [str], "priority": int,
    "tiers": {"achieved": (float, float), "partly": (float, float), "not_achieved": (float, float)},
    "grades": Table(float),
}


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    budget_weight: float
    total_weight: float
    detect: tuple[str, ...]
    priority: int  # when several profiles' markers occur in a form's headers, the highest wins
    tiers: dict[str, tuple[float, float]]
    grades: dict[str, float]

    def grade(self, score: float | None) -> str | None:
        """Grade of a score by the profile's bands (highest band whose lower bound it reaches)."""
        if score is None:
            return None
        for grade, low in sorted(self.grades.items(), key=lambda kv: -kv[1]):
            if score >= low - 1e-9:
                return grade
        return None


def _load(path: Path) -> Profile:
    data = datafile.load(path, SCHEMA)
    return Profile(
        name=data["name"],
        description=data["description"],
        budget_weight=float(data["budget_weight"]),
        total_weight=float(data.get("total_weight", 100.0)),
        detect=tuple(data["detect"]),
        priority=data["priority"],
        tiers={k: (float(v[0]), float(v[1])) for k, v in data["tiers"].items()},
        grades={k: float(v) for k, v in data["grades"].items()},
    )


@lru_cache(maxsize=None)
def all_profiles() -> dict[str, Profile]:
    return load_profiles(PROFILE_DIR)


def load_profiles(folder: Path) -> dict[str, Profile]:
    """Every profile of a folder, highest priority first; two profiles sharing a name or a priority are an error
    (which one wins must not depend on file names)."""
    profiles = [_load(path) for path in sorted(folder.glob("*.toml"))]
    for key in ("name", "priority"):
        values = [getattr(p, key) for p in profiles]
        twice = sorted({str(v) for v in values if values.count(v) > 1})
        if twice:
            raise datafile.DataFileError(f"{folder}: two profiles share the {key} {', '.join(twice)}")
    return {p.name: p for p in sorted(profiles, key=lambda p: -p.priority)}


def get_profile(name: str) -> Profile:
    profiles = all_profiles()
    if name not in profiles:
        raise KeyError(f"unknown profile {name!r}; known: {', '.join(sorted(profiles))}")
    return profiles[name]


def choose_profile(header_text: str, override: str | None = None) -> Profile:
    """The user's choice if given, else the highest-priority profile whose markers occur in the form's headers."""
    if override:
        return get_profile(override)
    compact = "".join(header_text.split())
    for profile in all_profiles().values():
        if any(marker in compact for marker in profile.detect):
            return profile
    return get_profile(DEFAULT_PROFILE)
