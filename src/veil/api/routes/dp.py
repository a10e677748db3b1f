"""Routes of the dp domain (owned by that domain; see docs/architecture.md)."""

from fastapi import APIRouter

router = APIRouter()
