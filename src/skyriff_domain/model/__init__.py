"""Entities and value objects of the SkyRiff domain."""
