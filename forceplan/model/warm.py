"""Warm re-solves (MODEL.md §8.9): the HiGHS basis of a solved plan, and the structure it
belongs to.

The budget office's loop is solve → edit a cell → solve again. An edit of a number
(a funding amount, a requirement) leaves the LP's rows and columns as they were, so the
optimal basis of the last solve is a few simplex pivots away from the new optimum. That
basis is stored in the plan workbook (`forceplan.workbook.basis_sheet`) with a hash of
the model structure: which rows and columns the model has, not their numbers. A solve of
that plan workbook starts HiGHS from the basis when the hash matches the new model's.

A basis never changes what the optimum is, only where the simplex starts: a start from
the wrong basis costs pivots, not correctness. HiGHS skips presolve when it is given a
valid basis, so a warm run is a plain (dual) simplex from that basis.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.core as pyo

#: Version of the stored encoding: statuses as bytes (HiGHS's HighsBasisStatus values
#: 0 lower, 1 basic, 2 upper, 3 zero, 4 nonbasic), zlib-compressed, base64 text.
FORMAT = "forceplan-basis-1"
#: Characters of a hash shown to users ("warm start from 1d715e13f7ea").
SHORT = 12

_STATUSES = list(highspy.HighsBasisStatus.__members__.values())
_MAX_STATUS = len(_STATUSES) - 1


@dataclass(frozen=True)
class Basis:
    """A HiGHS simplex basis and the hash of the model structure it belongs to."""

    structure: str  # sha256 hex of the model structure
    col_status: np.ndarray  # uint8 per column
    row_status: np.ndarray  # uint8 per row

    @property
    def short(self) -> str:
        return self.structure[:SHORT]

    def encode(self) -> tuple[str, str]:
        """(columns, rows) as compressed base64 text."""
        return _pack(self.col_status), _pack(self.row_status)

    @classmethod
    def decode(cls, structure: str, cols: str, rows: str) -> Basis:
        """The basis from its stored text; ValueError if the text is damaged."""
        return cls(structure, _unpack(cols), _unpack(rows))


def _pack(status: np.ndarray) -> str:
    return base64.b64encode(zlib.compress(status.astype(np.uint8).tobytes(), 6)).decode("ascii")


def _unpack(text: str) -> np.ndarray:
    try:
        raw = zlib.decompress(base64.b64decode(text.encode("ascii"), validate=True))
    except (ValueError, zlib.error) as exc:
        raise ValueError(f"the stored basis is damaged ({exc})") from None
    status = np.frombuffer(raw, dtype=np.uint8)
    if len(status) and int(status.max()) > _MAX_STATUS:
        raise ValueError("the stored basis holds an unknown status")
    return status


def structure_hash(model: pyo.ConcreteModel) -> str:
    """sha256 of the model's structure: the names and index keys of its variables (and
    which are fixed, as fixed variables are not columns) and of its active constraints.
    Coefficients, bounds and costs are left out, so an edited number keeps the hash.
    Per component the keys are hashed as one list (repr is done in C): ~0.1 s at M."""
    digest = hashlib.sha256(FORMAT.encode())
    for comp in model.component_objects(pyo.Var, descend_into=True):
        digest.update(b"\0V" + comp.name.encode())
        digest.update(repr(list(comp.keys())).encode())
        digest.update(bytes(bytearray(v.fixed for v in comp.values())))
    for comp in model.component_objects(pyo.Constraint, active=True, descend_into=True):
        digest.update(b"\0C" + comp.name.encode())
        digest.update(repr(list(comp.keys())).encode())
        digest.update(bytes(bytearray(c.active for c in comp.values())))
    return digest.hexdigest()


def capture(highs: highspy.Highs, structure: str) -> Basis | None:
    """The current basis of `highs` (None if HiGHS holds no valid basis)."""
    basis = highs.getBasis()
    if not basis.valid:
        return None
    cols = np.fromiter((s.value for s in basis.col_status), dtype=np.uint8)
    rows = np.fromiter((s.value for s in basis.row_status), dtype=np.uint8)
    return Basis(structure, cols, rows)


def install(highs: highspy.Highs, basis: Basis) -> str | None:
    """Give `highs` the stored basis; None if it took it, else why not."""
    if len(basis.col_status) != highs.getNumCol() or len(basis.row_status) != highs.getNumRow():
        return "the stored basis does not fit the model"
    if int(np.count_nonzero(basis.col_status == 1) + np.count_nonzero(basis.row_status == 1)) != (
        highs.getNumRow()
    ):
        return "the stored basis is not a basis of this model"
    new = highspy.HighsBasis()
    new.col_status = [_STATUSES[s] for s in basis.col_status.tolist()]
    new.row_status = [_STATUSES[s] for s in basis.row_status.tolist()]
    new.valid = True
    if highs.setBasis(new) == highspy.HighsStatus.kError:
        return "HiGHS did not accept the stored basis"
    return None
