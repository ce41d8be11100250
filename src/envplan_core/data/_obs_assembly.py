"""Assembling parsed observation batches into one :class:`~envplan_core.data.observation_set.ObservationSet`.

:func:`_assemble` merges the batches' code tables (sites, parameters, times) into global ones with one
gather per column, finds duplicate records — same site, parameter, time and time resolution — across all
sources (:func:`_report_duplicates` logs every later row naming the first), and keeps the good rows,
compacted to the sites and parameters they use (docs/inputs.md (conventions)).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from envplan_core.data._obs_batch import _Chunk, _Known
from envplan_core.data._tabular import ProblemLog
from envplan_core.data.observation_set import ObservationSet


def _assemble(chunks: list[_Chunk], log: ProblemLog, known: _Known, *, note: str) -> ObservationSet:
    """Merge the sources' code tables, find duplicate records across all of them, keep the good rows."""
    if not chunks:
        return ObservationSet.empty(note=note)
    sizes = [c.site.shape[0] for c in chunks]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)

    # Global code tables; per row only one gather per column (none when a table is the identity).
    site_names = np.unique(np.asarray([s for c in chunks for s in c.site_labels], dtype=object))
    site = _cat(
        [
            _through(np.searchsorted(site_names, np.asarray(c.site_labels, dtype=object)), c.site)
            for c in chunks
        ]
    )
    time_keys = np.unique(np.concatenate([c.time_keys for c in chunks]))
    time_code = _cat([_through(np.searchsorted(time_keys, c.time_keys), c.time_code) for c in chunks])
    parameter = _cat([c.param_of_spelling[c.pspell] for c in chunks])
    bad = _cat([log.bad_mask(c.table, size) for c, size in zip(chunks, sizes, strict=True)])
    any_bad = bool(bad.any())

    # Duplicate records among otherwise good rows: same site, parameter, time and time resolution.
    good = np.flatnonzero(~bad) if any_bad else None
    n_sites, n_params, n_times = max(site_names.size, 1), max(len(known.params), 1), max(time_keys.size, 1)
    key = np.multiply(site if good is None else site[good], n_params, dtype=np.int64)
    key += parameter if good is None else parameter[good]
    key *= n_times
    key += time_code if good is None else time_code[good]
    space = n_sites * n_params * n_times
    in_dup_group: npt.NDArray[np.bool_] | None = None
    if space <= max(8 * key.size, 1 << 22):
        counts = np.bincount(key, minlength=space)  # dense key space: no sort, no hash
        if key.size and counts.max() > 1:
            in_dup_group = counts[key] > 1
    elif space < 2**62:
        import pandas as pd

        dup = pd.Series(key).duplicated(keep=False).to_numpy()
        in_dup_group = dup if dup.any() else None
    else:  # pragma: no cover - needs > 2**62 combinations
        import pandas as pd

        frame = pd.DataFrame({"s": site, "p": parameter, "t": time_code})
        dup = frame.iloc[good if good is not None else slice(None)].duplicated(keep=False).to_numpy()
        in_dup_group = dup if dup.any() else None
    if in_dup_group is not None:
        _report_duplicates(
            chunks, log, offsets, np.arange(key.size) if good is None else good, key, in_dup_group, bad
        )
        any_bad = True

    keep = ~bad if any_bad else None

    def kept(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return array if keep is None else array[keep]

    site_k, param_k = kept(site), kept(parameter)
    used_sites = np.flatnonzero(np.bincount(site_k, minlength=site_names.size))
    used_params = np.flatnonzero(np.bincount(param_k, minlength=len(known.params)))
    ids = [known.params[q].id for q in used_params.tolist()]
    order = sorted(range(len(ids)), key=ids.__getitem__)
    param_remap = np.zeros(max(len(known.params), 1), dtype=np.int16)
    param_remap[used_params[order]] = np.arange(len(order), dtype=np.int16)
    if used_sites.size == site_names.size:
        site_final = site_k.astype(np.int32)
    else:
        site_remap = np.zeros(max(site_names.size, 1), dtype=np.int32)
        site_remap[used_sites] = np.arange(used_sites.size, dtype=np.int32)
        site_final = site_remap[site_k]

    # One file entry per source (a file read in batches is one file; each sheet of a workbook is one).
    file_index: dict[tuple[int, str], int] = {}
    for c in chunks:
        file_index.setdefault((log.tables[c.table].source, log.tables[c.table].name), len(file_index))
    file_of_chunk = [file_index[log.tables[c.table].source, log.tables[c.table].name] for c in chunks]
    files = _cat([np.full(size, f, dtype=np.int16) for f, size in zip(file_of_chunk, sizes, strict=True)])
    flag = None
    if any(c.flag is not None for c in chunks):
        flag = kept(
            _cat(
                [
                    c.flag if c.flag is not None else np.full(size, "", dtype=object)
                    for c, size in zip(chunks, sizes, strict=True)
                ]
            )
        )
    return ObservationSet(
        site=site_final,
        parameter=param_remap[param_k],
        time=kept(_cat([c.time for c in chunks])).view("datetime64[s]"),
        time_kind=kept(_cat([c.time_kind for c in chunks])),
        value=kept(_cat([c.value for c in chunks])),
        censored=kept(_cat([c.censored for c in chunks])),
        detection_limit=kept(_cat([c.detection_limit for c in chunks])),
        file=kept(files),
        row=kept(_cat([log.tables[c.table].rows for c in chunks])),
        sites=tuple(str(site_names[i]) for i in used_sites.tolist()),
        parameters=tuple(ids[i] for i in order),
        files=tuple(name for _, name in file_index),
        flag=flag,
        note=note,
    )


def _cat(arrays: list[npt.NDArray[Any]]) -> npt.NDArray[Any]:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def _through(table: npt.NDArray[np.intp], codes: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """``table[codes]``, skipping the gather when ``table`` is the identity."""
    if table.size and np.array_equal(table, np.arange(table.size)):
        return codes
    return table.astype(np.intp)[codes] if table.size else codes


def _report_duplicates(  # noqa: PLR0917 - private helper of _assemble
    chunks: list[_Chunk],
    log: ProblemLog,
    offsets: npt.NDArray[np.intp],
    rows: npt.NDArray[np.intp],
    key: npt.NDArray[np.int64],
    in_dup_group: npt.NDArray[np.bool_],
    bad: npt.NDArray[np.bool_],
) -> None:
    """Log every later row of a duplicate group, naming the group's first row; mark them bad."""
    members = rows[in_dup_group]
    member_keys = key[in_dup_group]
    order = np.argsort(member_keys, kind="stable")  # stable: the first in file order comes first
    members, member_keys = members[order], member_keys[order]
    starts = np.r_[True, member_keys[1:] != member_keys[:-1]]
    first = members[np.flatnonzero(starts)[np.cumsum(starts) - 1]]
    later, first = members[~starts], first[~starts]
    chunk_of_later = np.searchsorted(offsets, later, side="right") - 1
    chunk_of_first = np.searchsorted(offsets, first, side="right") - 1
    for c in np.unique(chunk_of_later).tolist():
        pick = chunk_of_later == c
        where = []
        for fc, fp in zip(chunk_of_first[pick].tolist(), first[pick].tolist(), strict=True):
            table = log.tables[chunks[fc].table]
            where.append(f"{table.name}:{table.rows[fp - offsets[fc]]}")
        table = log.tables[chunks[c].table]
        log.add(
            chunks[c].table,
            later[pick] - offsets[c],
            table.header("time"),
            [f"duplicate record: same site, parameter and time as {w}" for w in where],
        )
    bad[later] = True
