"""Typed, validated inputs, grouped by concern like the OpenTofu module's variables files."""

from .loader import load_inputs
from .model import Inputs

__all__ = ["Inputs", "load_inputs"]
