"""The theory layer: neural tangent kernels of the homotopy network (closed form at
infinite width, empirical at finite width), their spectra against s (Theorem 1) and the
kernel-regime prediction of gradient-descent training. The verdicts on the spectra
(monotone, theorem1_verdict, beyond_verdict) import no torch: the jobs that only decide
start light.

May import hrta.model and hrta.problems; results are xarray Datasets, files are the
pipeline's business.
"""
