"""assess: network-readiness assessment and QoS config generation for agentic-AI load.

The library is the product; the CLI (``assess.cli``) is a thin layer over ``assess.pipeline``.
"""

__version__ = "0.1.0"
