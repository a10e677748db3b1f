"""Routes of the tabular domain (owned by that domain; see docs/architecture.md)."""

from fastapi import APIRouter

router = APIRouter()
