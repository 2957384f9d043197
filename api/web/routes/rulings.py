"""Routes for rulings (being written; see issue 7)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["rulings"])
