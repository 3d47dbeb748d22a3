"""hrta: Homotopy Relaxation Training Algorithms for two-layer ReLU networks."""

__version__ = "0.1.0"
