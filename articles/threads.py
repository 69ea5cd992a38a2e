"""Laying out a comment thread: replies directly under what they answer, indented."""

from collections import defaultdict
from collections.abc import Iterable

from articles.models import Comment

# Deeper replies are still shown, but no further indented: narrow screens stay readable.
MAX_DEPTH = 4


def thread_order(comments: Iterable[Comment]) -> list[Comment]:
    """Return the comments in reading order, each with a `depth` attribute.

    Top-level comments keep their position order; each reply follows the comment it
    answers (after earlier replies to it). One pass, no queries: pass prefetched comments.
    """
    comments = sorted(comments, key=lambda comment: comment.position)
    by_pk = {comment.pk: comment for comment in comments}
    children = defaultdict(list)
    roots = []
    for comment in comments:
        if comment.reply_to_id in by_pk:
            # Fill the relation from memory so templates can name the parent without a query.
            comment.reply_to = by_pk[comment.reply_to_id]
            children[comment.reply_to_id].append(comment)
        else:
            roots.append(comment)

    ordered, seen = [], set()
    stack = [(comment, 0) for comment in reversed(roots)]
    while stack:
        comment, depth = stack.pop()
        if comment.pk in seen:  # a reply cycle in bad data must not loop forever
            continue
        seen.add(comment.pk)
        comment.depth = min(depth, MAX_DEPTH)
        ordered.append(comment)
        stack.extend((child, depth + 1) for child in reversed(children[comment.pk]))
    return ordered
