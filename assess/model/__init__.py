"""Traffic model: profiles, event generation, exact binning and timescale statistics."""
