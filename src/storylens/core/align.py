"""Multi-document paragraph alignment: content clusters and a merged reading order.

Documents are added one at a time, fullest first. The aligner's own choices
(ties in that order, in scores, in candidates) follow the order it is given the
documents in and the word ids learnt from them, so
:func:`~storylens.core.compare.compare` gives it the documents in an order that
depends only on their content (``reading_order``). Each new document is aligned
against the rows built so far:

1. candidates: for each paragraph, the clusters sharing its rarer content words,
   found through an inverted index (no all-pairs matrix, so a million words stay
   cheap), then scored exactly against the clusters' members;
2. a monotone chain (weighted longest increasing subsequence) picks the matches
   that keep both the new document's order and the rows' order;
3. strong matches off the chain become *moves*: the paragraph keeps its own place
   in its own row and is linked to the cluster where the others carry it;
4. an unmatched neighbour of a match joins it when it is contained in the
   cluster (a *split*), and a match absorbs the next row when that row's content
   is contained in it (a *merge*);
5. everything else gets a new row after the previous paragraph's row.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .features import Features

ALONG = 0.75
"""A match with the row after the previous paragraph's this strong is taken without a search."""

ALONG_ROWS = 4
"""Rows after the previous paragraph's match looked at before searching the index."""

COPIES_SCANNED = 64
"""Clusters holding one exact wording that a paragraph with that wording looks at.

A wording repeated thousands of times (a filler line in a badly scraped page)
would otherwise make every copy scan every other: quadratic. Beyond this many,
further copies are aligned like any other paragraph.
"""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Score levels of the aligner (content scores are 0..1)."""

    candidate: float = 0.15
    """Below this a cluster is not considered at all."""
    chain: float = 0.25
    """A match that keeps order needs at least this."""
    gap: float = 0.22
    """Between two matches, a match that fits the gap in both orders needs only this."""
    move: float = 0.40
    """A match that breaks order (a move) needs at least this."""
    split: float = 0.45
    join: float = 0.22
    """Two finished clusters from different outlets merge when their best pair reaches this."""
    """Containment a neighbour needs to join a match as a split or merge."""
    min_weight: float = 9.0
    """Content weight below which containment counts for less (short paragraphs)."""


@dataclass(eq=False, slots=True)
class Cluster:
    """Paragraphs of different documents that report the same content."""

    members: list[Features] = field(default_factory=list)
    content: set[int] = field(default_factory=set)
    docs: set[int] = field(default_factory=set)
    row: AlignedRow | None = None
    """The row where the cluster sits (moved members sit in rows of their own)."""
    merged_into: Cluster | None = None
    """Set when the cluster was folded into another one."""

    def live(self) -> Cluster:
        """The cluster this one now lives in (itself unless it was merged)."""
        cluster = self
        while cluster.merged_into is not None:
            cluster = cluster.merged_into
        return cluster

    def add(self, feat: Features) -> None:
        """Add a paragraph to the cluster."""
        self.members.append(feat)
        self.content |= feat.content
        self.docs.add(feat.doc_index)


@dataclass(eq=False, slots=True)
class AlignedRow:
    """A row of the merged order while it is being built."""

    cells: dict[int, list[Features]] = field(default_factory=dict)
    clusters: list[Cluster] = field(default_factory=list)


@dataclass(slots=True)
class Alignment:
    """The aligner's result: rows in reading order, and content clusters."""

    rows: list[AlignedRow]
    clusters: list[Cluster]
    cluster_of: dict[str, Cluster]
    """Paragraph id → its cluster (every paragraph has one, singletons included)."""
    row_of: dict[str, AlignedRow]
    """Paragraph id → the row it sits in."""


class PairScorer:
    """Scores how much content two paragraphs share, from 0 to 1."""

    def __init__(self, weights: Sequence[float], thresholds: Thresholds) -> None:
        self.weights = weights
        self.t = thresholds

    def __call__(self, a: Features, b: Features) -> float:
        """Return the content score of *a* and *b*."""
        if a.paragraph.kind != b.paragraph.kind:
            return 0.0
        w = self.weights
        inter = a.content & b.content
        if not inter:
            return 0.0
        shared = sum(map(w.__getitem__, inter))
        wa, wb = a.weight, b.weight
        dice = 2.0 * shared / (wa + wb)
        short = min(wa, wb)
        contained = shared / short
        if a.paragraph.kind == "heading":
            return max(dice, contained * min(1.0, short / 4.0) * 0.9)
        # A short paragraph inside a long one: the evidence is only as strong as
        # the short paragraph is telling, and containment alone over-matches.
        size = min(1.0, short / self.t.min_weight)
        return max(dice, 0.85 * contained * size)

    def containment(self, small: Features, large: Features) -> float:
        """Share of *small*'s content weight found in *large*, scaled by size."""
        if small.weight <= 0 or small.paragraph.kind != large.paragraph.kind:
            return 0.0
        large_content = large.content
        w = self.weights
        shared = sum(map(w.__getitem__, small.content & large_content))
        return shared / small.weight * min(1.0, small.weight / self.t.min_weight)


def _doc_order(features: Sequence[Sequence[Features]]) -> list[int]:
    """Fullest document first; ties broken by their first words.

    The words are compared as word ids, learnt in the order the documents come
    in, and equal documents keep that order: the tie-breaks are only as
    independent of the caller as the order the documents are given in here.
    """
    return sorted(
        range(len(features)),
        key=lambda d: (
            -sum(f.weight for f in features[d]),
            "".join(f.tokstr for f in features[d][:3]),
            len(features[d]),
        ),
    )


def _chain(items: list[tuple[int, int, float, Cluster]], n_rows: int) -> list[int]:
    """Pick the heaviest set of items increasing strictly in paragraph and in row.

    *items* are ``(paragraph, row, gain, cluster)`` sorted by paragraph; returns
    the indices of the chosen items. A Fenwick tree of prefix maxima over rows
    makes this O(k log k).
    """
    size = n_rows + 1
    tree_val = [0.0] * (size + 1)
    tree_idx = [-1] * (size + 1)
    best = [0.0] * len(items)
    prev = [-1] * len(items)

    def query(r: int) -> tuple[float, int]:
        val, idx = 0.0, -1
        r += 1
        while r > 0:
            if tree_val[r] > val:
                val, idx = tree_val[r], tree_idx[r]
            r -= r & -r
        return val, idx

    def update(r: int, val: float, idx: int) -> None:
        r += 1
        while r <= size:
            if val > tree_val[r]:
                tree_val[r], tree_idx[r] = val, idx
            r += r & -r

    k = 0
    while k < len(items):
        group_end = k
        while group_end < len(items) and items[group_end][0] == items[k][0]:
            group_end += 1
        # Items of one paragraph must not chain with each other: query all first.
        for j in range(k, group_end):
            val, idx = query(items[j][1] - 1)
            best[j] = val + items[j][2]
            prev[j] = idx
        for j in range(k, group_end):
            update(items[j][1], best[j], j)
        k = group_end
    if not items:
        return []
    end = max(range(len(items)), key=best.__getitem__)
    chosen: list[int] = []
    while end != -1:
        chosen.append(end)
        end = prev[end]
    chosen.reverse()
    return chosen


class Aligner:
    """Builds an :class:`Alignment` from the paragraphs' features."""

    def __init__(
        self,
        features: Sequence[Sequence[Features]],
        weights: Sequence[float],
        thresholds: Thresholds | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.features = features
        self.weights = weights
        self.t = thresholds or Thresholds()
        self.score = PairScorer(weights, self.t)
        self.progress = progress
        # Search budgets: thorough for stories of a real size, bounded beyond, so
        # the work per paragraph stays constant however many outlets there are.
        total = sum(len(f) for f in features)
        n_docs = max(1, len(features))
        if total <= 800:
            self.max_candidates, self.max_members, self.max_probes = 40, 64, 1 << 30
            self.max_posting = 1 << 30
        elif total <= 4000:
            self.max_candidates, self.max_members, self.max_probes = 8, 6, 12
            self.max_posting = 4 * n_docs
        else:
            self.max_candidates, self.max_members, self.max_probes = 3, 2, 12
            self.max_posting = 2 * n_docs
        self.rows: list[AlignedRow] = []
        self.clusters: list[Cluster] = []
        self.postings: dict[int, list[Cluster]] = {}
        self.copies: dict[str, dict[int, Cluster]] = {}
        """Token string → the clusters holding a paragraph with exactly those words (by id)."""

    # -- building blocks -------------------------------------------------------

    def _new_cluster(self, feat: Features, row: AlignedRow | None) -> Cluster:
        cluster = Cluster(row=row)
        self.clusters.append(cluster)
        self._join(cluster, feat)
        return cluster

    def _join(self, cluster: Cluster, feat: Features) -> None:
        new = feat.content - cluster.content
        cluster.add(feat)
        self.copies.setdefault(feat.tokstr, {}).setdefault(id(cluster), cluster)
        for sid in new:
            self.postings.setdefault(sid, []).append(cluster)

    def _sample(self, cluster: Cluster) -> list[Features]:
        """The members a paragraph is compared with: all, or the first and last few."""
        members = cluster.members
        if len(members) > self.max_members:
            half = self.max_members // 2
            members = members[:half] + members[-half:]
        return members

    def _member_score(self, feat: Features, cluster: Cluster) -> float:
        return max(self.score(feat, m) for m in self._sample(cluster))

    def _probe(self, feat: Features) -> list[int]:
        """The paragraph's most telling stems: the ones whose postings are searched."""
        if len(feat.content) <= self.max_probes:
            return list(feat.content)
        w = self.weights
        return sorted(feat.content, key=w.__getitem__, reverse=True)[: self.max_probes]

    def _overlaps(self, feat: Features) -> dict[Cluster, float]:
        """Clusters sharing the paragraph's telling stems, with the weight they share."""
        w = self.weights
        overlap: dict[Cluster, float] = {}
        get = overlap.get
        for sid in self._probe(feat):
            posting = self.postings.get(sid)
            if not posting or len(posting) > self.max_posting:
                continue
            ws = w[sid]
            # Clusters hash by identity (eq=False), so they key the dict directly.
            for cluster in posting:
                overlap[cluster] = get(cluster, 0.0) + ws
        return overlap

    def _copies(self, feat: Features) -> list[tuple[Cluster, float]]:
        """Clusters holding a paragraph with exactly *feat*'s words (and not its outlet).

        A paragraph copied word for word needs no search. An outlet may carry the
        same paragraph twice: each copy goes to a cluster that lacks this outlet.
        All such clusters are offered; the chain gives each copy its own.
        """
        holders = self.copies.get(feat.tokstr)
        if not holders:
            return []
        return [
            (live, 1.0)
            for live in dict.fromkeys(
                h.live() for h in itertools.islice(holders.values(), COPIES_SCANNED)
            )
            if live.members and feat.doc_index not in live.docs
        ]

    def _along(self, feat: Features, after: int) -> list[tuple[Cluster, float]]:
        """A cluster of the rows just after *after* that *feat* matches strongly, if any.

        Outlets mostly keep the story's order: when the previous paragraph
        matched row *after* strongly, this one usually matches one of the next
        few rows (the others hold paragraphs only some outlets carry), and a
        strong match there needs no search of the whole index.
        """
        for row in self.rows[after + 1 : after + 1 + ALONG_ROWS]:
            best: tuple[Cluster, float] | None = None
            for cluster in row.clusters:
                members = cluster.members
                if not members or feat.doc_index in cluster.docs:
                    continue
                # The first and the latest member are enough for a shortcut: when
                # neither matches strongly, the full search below decides.
                s = self.score(feat, members[-1])
                if s < ALONG and len(members) > 1:
                    s = max(s, self.score(feat, members[0]))
                if s >= ALONG and (best is None or s > best[1]):
                    best = (cluster, s)
            if best is not None:
                return [best]
        return []

    def _candidates(self, feat: Features) -> list[tuple[Cluster, float]]:
        """Clusters worth scoring for *feat*, best first, with their exact scores.

        Clusters that already hold a paragraph of *feat*'s document are left out.
        """
        return self._copies(feat) or self._search(feat)

    def _search(self, feat: Features) -> list[tuple[Cluster, float]]:
        """Clusters found through the index for *feat*, best first, with their exact scores."""
        overlap = self._overlaps(feat)
        if not overlap:
            return []
        ranked = sorted(overlap, key=overlap.__getitem__, reverse=True)
        scored: list[tuple[Cluster, float]] = []
        for cluster in ranked[: self.max_candidates]:
            if not cluster.members or feat.doc_index in cluster.docs:
                continue
            s = self._member_score(feat, cluster)
            if s >= self.t.candidate:
                scored.append((cluster, s))
        scored.sort(key=lambda cs: -cs[1])
        return scored

    # -- one document ----------------------------------------------------------

    def add_document(self, d: int) -> None:
        """Align document *d* against the rows so far and insert its paragraphs."""
        feats = self.features[d]
        if not self.rows:
            for f in feats:
                row = AlignedRow(cells={d: [f]})
                row.clusters.append(self._new_cluster(f, row))
                self.rows.append(row)
            return
        row_pos = {id(row): k for k, row in enumerate(self.rows)}
        cands: list[list[tuple[Cluster, float]]] = []
        after: int | None = -1  # the row of the latest strong match
        for f in feats:
            # Cheapest first: a word-for-word copy, a strong match just along the
            # story's order, then the index.
            cs = self._copies(f)
            if not cs and after is not None:
                cs = self._along(f, after)
            cs = cs or self._search(f)
            cands.append(cs)
            # The last strong match stays the reference across paragraphs that match
            # nothing (an outlet's own paragraph does not break the story's order).
            strong = cs[0][0].row if cs and cs[0][1] >= ALONG else None
            if strong is not None:
                after = row_pos.get(id(strong))

        items: list[tuple[int, int, float, Cluster]] = []
        for i, cs in enumerate(cands):
            for cluster, s in cs:
                if s >= self.t.chain and cluster.row is not None:
                    items.append((i, row_pos[id(cluster.row)], s - self.t.chain + 0.01, cluster))
        items.sort(key=lambda it: (it[0], it[1]))
        target: dict[int, Cluster] = {}  # paragraph -> cluster it joins, in that cluster's row
        taken: set[int] = set()
        anchors = [items[j] for j in _chain(items, len(self.rows))]
        for i, _, _, cluster in anchors:
            target[i] = cluster
            taken.add(id(cluster))
        # Weaker matches that sit between two anchors in both orders: the order
        # itself is evidence, as a careful reader would also see.
        bounds = [(-1, -1)] + [(a[0], a[1]) for a in anchors] + [(len(feats), len(self.rows))]
        gap_items: list[tuple[int, int, float, Cluster]] = []
        for (i0, r0), (i1, r1) in itertools.pairwise(bounds):
            for i in range(i0 + 1, i1):
                for cluster, s in cands[i]:
                    if s < self.t.gap or cluster.row is None or id(cluster) in taken:
                        continue
                    r = row_pos[id(cluster.row)]
                    if r0 < r < r1:
                        gap_items.append((i, r, s - self.t.gap + 0.01, cluster))
        gap_items.sort(key=lambda it: (it[0], it[1]))
        for j in _chain(gap_items, len(self.rows)):
            i, _, _, cluster = gap_items[j]
            target[i] = cluster
            taken.add(id(cluster))

        # Splits: an unmatched neighbour contained in its neighbour's cluster.
        changed = True
        while changed:
            changed = False
            for i in range(len(feats)):
                if i in target:
                    continue
                for j in (i - 1, i + 1):
                    partner = target.get(j)
                    if partner is None:
                        continue
                    if self._splits(feats[i], feats[j], partner) and not self._better_elsewhere(
                        cands[i], partner, taken
                    ):
                        target[i] = partner
                        changed = True
                        break

        # Moves: strong matches the chain could not keep in order, best first.
        moved: dict[int, Cluster] = {}
        offers = sorted(
            (
                (s, i, cluster)
                for i, cs in enumerate(cands)
                if i not in target
                for cluster, s in cs
                if s >= self.t.move
            ),
            key=lambda o: -o[0],
        )
        for _, i, cluster in offers:
            if i not in moved and id(cluster) not in taken:
                moved[i] = cluster
                taken.add(id(cluster))

        # Merges: a matched paragraph that also carries a neighbouring row's content.
        for i, matched in sorted(target.items()):
            found = matched.live().row
            if found is None:
                continue
            row = found
            for step in (-1, 1):
                k = row_pos[id(row)]
                if not 0 <= k + step < len(self.rows):
                    continue
                other_row = self.rows[k + step]
                neighbour = target.get(i + step)
                if neighbour is not None and neighbour.live().row is other_row:
                    continue
                if d in other_row.cells or any(id(c) in taken for c in other_row.clusters):
                    continue
                if any(
                    self._contained_in(m, feats[i])
                    for c in other_row.clusters
                    for m in self._sample(c)
                ):
                    first, second = (other_row, row) if step < 0 else (row, other_row)
                    self._merge_rows(first, second)
                    row = first
                    row_pos = {id(r): p for p, r in enumerate(self.rows)}
                    taken.update(id(c) for c in first.clusters)

        self._insert(d, feats, target, moved, row_pos)

    def _splits(self, feat: Features, neighbour: Features, cluster: Cluster) -> bool:
        """True when *feat* and its matched *neighbour* are two halves of a member.

        The paragraph must be mostly contained in a member of the cluster, in a
        part of it that the neighbour does not already account for.
        """
        for m in self._sample(cluster):
            if m.weight <= neighbour.weight:
                continue
            if self.score.containment(feat, m) < self.t.split:
                continue
            rest = m.content - neighbour.content
            w = self.weights
            own = sum(map(w.__getitem__, feat.content & rest))
            if own >= 0.5 * sum(map(w.__getitem__, feat.content & m.content)):
                return True
        return False

    def _better_elsewhere(
        self, cands: list[tuple[Cluster, float]], cluster: Cluster, taken: set[int]
    ) -> bool:
        """True when a paragraph matches some other free cluster better than *cluster*."""
        mine = next((s for c, s in cands if c is cluster), 0.0)
        return any(s > mine + 0.1 and id(c) not in taken for c, s in cands if c is not cluster)

    def _contained_in(self, small: Features, large: Features) -> bool:
        return self.score.containment(small, large) >= self.t.split

    def _merge_rows(self, row: AlignedRow, other: AlignedRow) -> None:
        """Fold *other* (the row right after *row*) into *row*."""
        for doc, paras in other.cells.items():
            row.cells.setdefault(doc, []).extend(paras)
        for cluster in other.clusters:
            cluster.row = row
            row.clusters.append(cluster)
        # One paragraph now carries both rows' content: one cluster for both.
        if row.clusters:
            first = row.clusters[0]
            for cluster in row.clusters[1:]:
                for m in cluster.members:
                    self._join(first, m)
                cluster.members.clear()
                cluster.row = None
                cluster.merged_into = first
            row.clusters[:] = [first]
        self.rows.remove(other)

    def _insert(
        self,
        d: int,
        feats: Sequence[Features],
        target: dict[int, Cluster],
        moved: dict[int, Cluster],
        row_pos: dict[int, int],
    ) -> None:
        """Rebuild the row list with document *d*'s paragraphs placed."""
        out: list[AlignedRow] = []
        emitted = 0
        for i, f in enumerate(feats):
            cluster = target.get(i)
            if cluster is not None:
                cluster = cluster.live()
            if cluster is not None and cluster.row is not None:
                row = cluster.row
                k = row_pos[id(row)]
                if k >= emitted:
                    out.extend(self.rows[emitted : k + 1])
                    emitted = k + 1
                row.cells.setdefault(d, []).append(f)
                self._join(cluster, f)
                continue
            row = AlignedRow(cells={d: [f]})
            if i in moved:
                self._join(moved[i].live(), f)
            else:
                row.clusters.append(self._new_cluster(f, row))
            out.append(row)
        out.extend(self.rows[emitted:])
        self.rows = out

    # -- all documents ---------------------------------------------------------

    def _join_clusters(self) -> None:
        """Merge clusters of disjoint outlets that report the same content.

        Each document was aligned against what came before it; an outlet that
        tells the story in another order, in other words, can leave the same
        content in two clusters whose outlets never overlap. Their best pair of
        paragraphs decides, strongest first.
        """
        offers: list[tuple[float, int, int]] = []
        live = [c for c in self.clusters if c.members]
        index = {id(c): k for k, c in enumerate(live)}
        for k, cluster in enumerate(live):
            seen: set[int] = set()
            for m in cluster.members[: self.max_members]:
                for other, s in self._candidates(m):
                    j = index.get(id(other))
                    if j is None or j <= k or j in seen or cluster.docs & other.docs:
                        continue
                    seen.add(j)
                    if s >= self.t.join:
                        offers.append((s, k, j))
        offers.sort(key=lambda o: -o[0])
        parent = list(range(len(live)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for _, k, j in offers:
            a, b = find(k), find(j)
            if a == b or live[a].docs & live[b].docs:
                continue
            for m in live[b].members:
                live[a].add(m)
            live[b].members.clear()
            live[b].merged_into = live[a]
            parent[b] = a

    def run(self) -> Alignment:
        """Align every document and return the result."""
        order = _doc_order(self.features)
        for step, d in enumerate(order):
            self.add_document(d)
            if self.progress is not None:
                self.progress(step + 1, len(order))
        self._join_clusters()
        clusters = [c for c in self.clusters if c.members]
        cluster_of = {m.paragraph.id: c for c in clusters for m in c.members}
        row_of = {
            f.paragraph.id: row for row in self.rows for cell in row.cells.values() for f in cell
        }
        return Alignment(self.rows, clusters, cluster_of, row_of)
