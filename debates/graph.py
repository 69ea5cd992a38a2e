"""Reading a debate: its whole graph in a fixed number of queries, assembled in Python."""

from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.db.models.expressions import RawSQL

from accounts.access import is_moderator
from debates import pagecache, policy
from debates.models import Argument, Debate, Link, reaching_sql
from debates.policy import Appearance


@dataclass
class DebateGraph:
    debate: Debate
    arguments: dict[int, Argument]
    links: list[Link]
    # target id -> the links pointing at it, in link order
    incoming: dict[int, list[Link]] = field(default_factory=lambda: defaultdict(list))

    @property
    def thesis(self) -> Argument:
        return self.arguments[self.debate.thesis_id]

    def size(self) -> int:
        """The arguments under the thesis that count (published ones): the one number of
        arguments that the debate list, the debate page and its map all show."""
        thesis_id = self.debate.thesis_id
        return sum(
            policy.counts(argument) for pk, argument in self.arguments.items() if pk != thesis_id
        )

    def last_activity(self):
        """When the newest counted argument of the debate was posted or extracted."""
        counted = [a.created_at for a in self.arguments.values() if policy.counts(a)]
        return max(counted, default=None)

    def answers(self, argument_id: int, relation: str | None = None) -> list[Link]:
        """The links into an argument (what attacks or supports it)."""
        links = self.incoming.get(argument_id, [])
        return [link for link in links if relation is None or link.relation == relation]


def debate_graph(debate: Debate, *, viewer=None, placeholders: bool = False) -> DebateGraph:
    """The debate's arguments and links: two queries whatever the debate's size.

    An argument belongs to the debate when a directed path of links leads from it to the
    thesis (a recursive CTE; cycles are cut by UNION). The exports (no viewer) hold the
    published arguments only: a hidden argument and what reaches the thesis only through it
    drop out. Pages pass `placeholders`: a hidden argument then stays as a placeholder
    (`argument.placeholder`, its text not shown) so its answers keep their context. A member
    also sees their own waiting or hidden posts; a moderator sees everything but merged
    tombstones, each marked with its status.
    """
    ids = reaching_sql(debate.thesis_id)
    objects = Argument.objects
    visible = objects.listed_to(viewer) if placeholders else objects.visible_to(viewer)
    arguments = visible.filter(pk__in=ids).with_source()
    published_only = not is_moderator(viewer)
    by_id = {argument.pk: argument for argument in arguments}
    for argument in by_id.values():
        argument.placeholder = policy.appearance(viewer, argument) == Appearance.PLACEHOLDER
    # The ids as one array: as a list of 10,000 literals the ORM built and PostgreSQL parsed
    # them for 160 ms of a 10,000-argument page's 250 ms of links.
    into = RawSQL("SELECT unnest(%s::bigint[])", [list(by_id)])
    links = [
        link
        for link in Link.objects.filter(target_id__in=into).order_by("pk")
        if link.source_id in by_id
    ]
    return _assemble(debate, by_id, links, published_only=published_only)


def _assemble(debate: Debate, by_id: dict, links: list, *, published_only: bool) -> DebateGraph:
    if published_only:
        by_id, links = _reachable_part(debate.thesis_id, by_id, links)
    graph = DebateGraph(debate=debate, arguments=by_id, links=links)
    for link in links:
        # Fill both ends from memory so templates and exports never query per link.
        link.source = by_id[link.source_id]
        link.target = by_id[link.target_id]
        graph.incoming[link.target_id].append(link)
    return graph


# For each debate, every argument with a path of links to its thesis.
_REACHING_MANY_SQL = """
WITH RECURSIVE reach(debate_id, id) AS (
    SELECT debate.id, debate.thesis_id FROM debates_debate debate WHERE debate.id = ANY(%s)
    UNION
    SELECT reach.debate_id, link.source_id FROM debates_link link
    JOIN reach ON link.target_id = reach.id
)
SELECT debate_id, id FROM reach
"""


def debate_graphs(debates) -> list[DebateGraph]:
    """Several debates' graphs as readers see them (published arguments only), in three
    queries together whatever their number and size: for lists that show each debate's
    standing. The arguments come without their sources (no article, comment or author)."""
    debates = list(debates)
    members = defaultdict(set)
    with pagecache.reading().cursor() as cursor:
        cursor.execute(_REACHING_MANY_SQL, [[debate.pk for debate in debates]])
        for debate_id, argument_id in cursor.fetchall():
            members[debate_id].add(argument_id)
    # The reach again as a subquery: thousands of ids need not travel back as a list.
    everyone = RawSQL(
        _REACHING_MANY_SQL.replace("SELECT debate_id, id FROM reach", "SELECT id FROM reach"),
        [[debate.pk for debate in debates]],
    )
    # What a standing needs of each argument: its status, date, text and strength, no source.
    arguments = (
        Argument.objects.visible_to(None)
        .filter(pk__in=everyone)
        .select_related("score")
        .only("id", "text", "status", "created_at", "score")
    )
    by_id = {argument.pk: argument for argument in arguments}
    for argument in by_id.values():
        argument.placeholder = False
    links = [
        link
        for link in Link.objects.filter(target_id__in=everyone).order_by("pk")
        if link.target_id in by_id
    ]
    graphs = []
    for debate in debates:
        own = {pk: by_id[pk] for pk in members[debate.pk] if pk in by_id}
        inside = [link for link in links if link.source_id in own and link.target_id in own]
        graphs.append(_assemble(debate, own, inside, published_only=True))
    return graphs


def _reachable_part(root_id: int, by_id: dict, links: list) -> tuple[dict, list]:
    """Keep what still reaches the root once unpublished arguments are left out."""
    if root_id not in by_id:
        return {}, []
    sources = defaultdict(list)
    for link in links:
        sources[link.target_id].append(link.source_id)
    seen, stack = {root_id}, [root_id]
    while stack:
        for source_id in sources[stack.pop()]:
            if source_id not in seen:
                seen.add(source_id)
                stack.append(source_id)
    kept = {pk: argument for pk, argument in by_id.items() if pk in seen}
    return kept, [link for link in links if link.source_id in kept and link.target_id in kept]


@dataclass
class MapNode:
    argument: Argument
    relation: str  # how it answers its parent: "attack", "support", or "" for the thesis
    children: list["MapNode"]
    repeated: bool = False  # shown higher up already: a cycle or a second path; not expanded
    depth: int = 0
    hidden_answers: int = 0  # answers beyond the map's depth, reached through the node's page


MAP_DEPTH = 12  # deeper levels continue on the argument's own page in the debate


def debate_map(graph: DebateGraph) -> MapNode:
    """The whole debate as a tree under its thesis, for the outline map.

    A graph is not a tree: an argument answering two others, or a cycle, would repeat forever.
    Each argument is expanded once, where a breadth-first walk first meets it; later meetings
    are marked `repeated` and link to that first place. Answers come in the order the view
    gave them (`argument.answers`), else in link order. One pass, no queries.
    """
    root = MapNode(graph.thesis, "", [])
    seen = {graph.thesis.pk}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        links = getattr(node.argument, "answers", None) or graph.answers(node.argument.pk)
        if node.depth >= MAP_DEPTH:
            node.hidden_answers = len(links)
            continue
        for link in links:
            child = MapNode(
                link.source, link.relation, [], repeated=link.source_id in seen,
                depth=node.depth + 1,
            )  # fmt: skip
            node.children.append(child)
            if not child.repeated:
                seen.add(link.source_id)
                queue.append(child)
    return root
