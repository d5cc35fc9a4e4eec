"""Each constraint family in words (one module per family, named as in schema.FAMILIES).

Kept apart from the model modules so that reading a plan (report, show, explain) does not
import Pyomo: these modules hold constant data only.
"""
