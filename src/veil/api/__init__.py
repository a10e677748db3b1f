"""HTTP layer: request model -> one library/service call -> response model. No privacy logic here."""

from veil.api.app import create_app

__all__ = ["create_app"]
