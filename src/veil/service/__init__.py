"""Stateful services: the container (``container.Services``), audit, auth, and each domain's service module."""
