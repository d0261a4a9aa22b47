"""The ``moderator_labels`` check: moderators' decisions, remembered per site.

Labels are the audit rows ``service.moderation.actions`` already writes
(``moderation_events``): "spam" marks a comment as spam; "ham" (not spam) and
"approve" mark it as fine. "reject" is not a spam label (people reject
comments for many reasons). A comment's label is its latest such action, so a
moderator who changes their mind is heard.

The check keeps, per site and process, a memory of the latest ``MEMORY_SIZE``
labelled comments as rows of the spam model's own hashed word + character
features. A new comment is compared with them (cosine similarity): when its
nearest labelled neighbour is a spam one, the score rises with the similarity
(``SIMILARITY_POINTS``), so a few comments of a new campaign marked as spam
catch the next, reworded ones of the same campaign; when the nearest is an
approved comment, the check stays silent. The memory is rebuilt when the
site's newest label changes (one indexed query per comment), so every worker
process learns within one comment of the moderator's click, without a
retraining run; the forking worker refreshes it before each fork
(``refresh_memories``) so work-horses inherit it rather than rebuild it.
Its reason quotes the labelled comment, so the moderator sees where the
suspicion comes from.

The ``moderator_domains`` check reads the same memory by link: a registrable
domain that moderators' spam-labelled comments linked to, and no approved
one, counts against the next comment linking there, however it is worded.
Reference hosts never do (``worker.text.links.vouched``): a spammer who
pads a comment with a Wikipedia link must not get Wikipedia blamed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from service import caches
from service.models import Comment, ModerationEvent
from service.prepared import Prepared
from worker.checks.base import CheckContext, CommentFacts, check
from worker.checks.learned import comment_features, get_model, model_dir_of
from worker.checks.links import linked_domains
from worker.checks.text_rules import vouched_hosts
from worker.text.links import linked_text, vouched

# A moderator's "undo" (the console's, service/moderation/undo.py) takes back the label before it.
LABELS: dict[str, int | None] = {"spam": 1, "ham": 0, "approve": 0, "undo": None}
MEMORY_SIZE = 1000
# Cosine similarity to the nearest spam-labelled comment -> check score.
# Unrelated comments share ~0.1-0.25 (common letter triples); rewordings of
# one campaign share 0.5 and more.
SIMILARITY_POINTS = ([0.0, 0.3, 0.45, 0.7, 1.0], [0.0, 0.1, 0.5, 0.9, 1.0])


@dataclass(frozen=True)
class Memory:
    stamp: tuple
    comment_ids: np.ndarray
    labels: np.ndarray  # 1 spam, 0 ham
    rows: SparseRows  # one l2-normalised feature row per labelled comment
    excerpts: list[str]
    # Registrable domain -> (comment id, label) of each labelled comment linking there.
    domains: dict[str, tuple[tuple[int, int], ...]]


@dataclass(frozen=True)
class SparseRows:
    """Sparse rows kept by column, for one row's dot products with all of them.

    What SciPy's CSR matrix did here, in a few NumPy calls: the worker scores comments
    without importing SciPy (~20 MB a process). Entries are sorted by column, so a
    comment's columns find theirs by binary search and only the matching entries are
    touched.
    """

    count: int
    columns: np.ndarray  # int64, sorted
    row_ids: np.ndarray  # int64, the row of each entry
    values: np.ndarray  # float32

    @classmethod
    def of(cls, rows: list[tuple[np.ndarray, np.ndarray]]) -> SparseRows:
        if not rows:
            empty = np.zeros(0, np.int64)
            return cls(0, empty, empty, np.zeros(0, np.float32))
        columns = np.concatenate([idx for idx, _ in rows]).astype(np.int64, copy=False)
        values = np.concatenate([vals for _, vals in rows]).astype(np.float32, copy=False)
        row_ids = np.repeat(np.arange(len(rows), dtype=np.int64), [len(i) for i, _ in rows])
        order = np.argsort(columns, kind="stable")
        return cls(len(rows), columns[order], row_ids[order], values[order])

    def dot(self, idx: np.ndarray, vals: np.ndarray) -> np.ndarray:
        """Each row's dot product with the sparse vector (``idx`` distinct columns)."""
        start = np.searchsorted(self.columns, idx, side="left")
        stop = np.searchsorted(self.columns, idx, side="right")
        counts = stop - start
        total = int(counts.sum())
        if not total:
            return np.zeros(self.count, np.float64)
        # The entries start[k] .. stop[k] - 1 of every matched column k, flattened.
        offsets = np.repeat(start - np.cumsum(counts) + counts, counts)
        entries = offsets + np.arange(total)
        weights = self.values[entries] * np.repeat(vals, counts)
        return np.bincount(self.row_ids[entries], weights=weights, minlength=self.count)


_MEMORIES: dict[tuple[str, int], Memory] = {}
_LOCK = threading.Lock()


def _forget_memories() -> None:
    with _LOCK:
        _MEMORIES.clear()


caches.declare("labels.memories", _forget_memories)


def _label_filter(site_id: int):
    return sa.and_(
        ModerationEvent.site_id == site_id,
        # OR, not IN: an IN list is re-rendered into the SQL on every execution.
        sa.or_(*(ModerationEvent.action == action for action in LABELS)),
        ModerationEvent.comment_id.is_not(None),
    )


# Built once: it runs for every comment, and building a statement costs more
# than running it. The newest label by max(id), not ORDER BY ... LIMIT 1: a
# LIMIT is rendered into the SQL on every call.
_NEWEST_LABEL = Prepared(
    sa.select(ModerationEvent.id, ModerationEvent.created_at).where(
        ModerationEvent.id
        == sa.select(sa.func.max(ModerationEvent.id))
        .where(_label_filter(sa.bindparam("site")))
        .scalar_subquery()
    )
)


def _stamp(session, site_id: int) -> tuple:
    # The id alone repeats across databases (tests); with its time it does not.
    # On the connection's cursor (same transaction): a fraction of the ORM path.
    found = _NEWEST_LABEL.rows(session.connection(), {"site": site_id})
    return tuple(found[0]) if found else ()


def labelled_comments(
    session, site_id: int, limit: int = MEMORY_SIZE
) -> list[tuple[int, str, int]]:
    """(comment id, body, label) of the latest labelled comments, newest first."""
    rows = session.execute(
        sa.select(ModerationEvent.comment_id, ModerationEvent.action, Comment.body_source)
        .join(Comment, Comment.id == ModerationEvent.comment_id)
        .where(_label_filter(site_id))
        .order_by(ModerationEvent.id.desc())
        .limit(limit * 2)
    ).all()
    seen: dict[int, tuple[int, str, int | None]] = {}
    for comment_id, action, body in rows:
        if comment_id not in seen:
            seen[comment_id] = (comment_id, body, LABELS[action])
    return [row for row in seen.values() if row[2] is not None][:limit]


def memory_for(session, site_id: int, spec) -> Memory:
    key = (str(session.get_bind().url), site_id)
    stamp = _stamp(session, site_id)
    memory = _MEMORIES.get(key)
    if memory is not None and memory.stamp == stamp:
        return memory
    labelled = labelled_comments(session, site_id) if stamp else []
    features = []
    for _, body, _ in labelled:
        idx, vals = comment_features(spec, body)
        norm = float(np.linalg.norm(vals)) or 1.0
        features.append((idx, vals / norm))
    rows = SparseRows.of(features)
    domains: dict[str, list[tuple[int, int]]] = {}
    for comment_id, body, label in labelled:
        for site in dict.fromkeys(link.site for link in linked_text(body).links):
            if not vouched(site, ()):
                domains.setdefault(site.registrable, []).append((comment_id, label))
    memory = Memory(
        stamp=stamp,
        comment_ids=np.array([c for c, _, _ in labelled], dtype=np.int64),
        labels=np.array([label for _, _, label in labelled], dtype=np.int8),
        rows=rows,
        excerpts=[" ".join(body.split())[:80] for _, body, _ in labelled],
        domains={name: tuple(marks) for name, marks in domains.items()},
    )
    with _LOCK:
        _MEMORIES[key] = memory
    return memory


@check("moderator_labels", kind="spam", version="1")
def moderator_labels(facts: CommentFacts, ctx: CheckContext):
    if ctx.session is None or not ctx.stateful or facts.site_id is None:
        return 0.0, "not checked (no history)"
    spec = get_model("spam", model_dir_of(ctx)).spec
    memory = memory_for(ctx.session, facts.site_id, spec)
    others = memory.comment_ids != (facts.id if facts.id is not None else -1)
    if not (others & (memory.labels == 1)).any():
        return 0.0, "no comment of this site marked as spam yet"
    idx, vals = comment_features(spec, facts.body or facts.text)
    norm = float(np.linalg.norm(vals)) or 1.0
    similarity = memory.rows.dot(idx, vals / norm)
    similarity[~others] = -1.0
    best = int(np.argmax(similarity))
    alike = float(similarity[best])
    if memory.labels[best] == 0:
        reason = f"most alike ({alike:.0%}) a comment moderators approved"
        return 0.0, reason
    score = float(np.clip(np.interp(alike, *SIMILARITY_POINTS), 0.0, 1.0))
    reason = f"{alike:.0%} alike a comment moderators marked as spam: '{memory.excerpts[best]}'"
    return round(score, 3), reason


@check("moderator_domains", kind="spam", version="1")
def moderator_domains(facts: CommentFacts, ctx: CheckContext):
    """Links to a domain this site's moderators have only ever seen in spam."""
    if ctx.session is None or not ctx.stateful or facts.site_id is None:
        return 0.0, "not checked (no history)"
    hosts = vouched_hosts(facts, ctx)
    linked = [d.registrable for d, where in linked_domains(facts) if not vouched(d, hosts)]
    if not linked:
        return 0.0, "no links to judge"
    memory = memory_for(ctx.session, facts.site_id, get_model("spam", model_dir_of(ctx)).spec)
    worst = (0.0, "no link to a domain moderators marked as spam")
    for name in linked:
        marks = [label for cid, label in memory.domains.get(name, ()) if cid != facts.id]
        if not marks:
            continue
        if 0 in marks:
            # One approved comment linking there: the domain is not spam by itself.
            if worst[0] == 0.0:
                worst = (0.0, f"moderators approved a comment linking to {name}")
            continue
        score = 0.95 if len(marks) >= 2 else 0.7
        if score > worst[0]:
            worst = (score, f"moderators marked {len(marks)} comment(s) linking to {name} as spam")
    return worst


def refresh_memories(session, model_dir=None) -> None:
    """Bring every site's memory up to date in this process.

    The forking worker calls this before each fork, so work-horses inherit
    fresh memories instead of each rebuilding them (see ``worker.cli``).
    """
    spec = get_model("spam", model_dir).spec
    site_ids = session.scalars(
        sa.select(ModerationEvent.site_id)
        .where(ModerationEvent.action.in_(list(LABELS)))
        .distinct()
    ).all()
    for site_id in site_ids:
        memory_for(session, site_id, spec)
