from debates import vocabulary


def limits(request) -> dict:
    """The limits of debates.vocabulary, so that a form's maxlength never disagrees with them."""
    return {
        "limits": {
            "claim_min": vocabulary.CLAIM_MIN,
            "claim_max": vocabulary.CLAIM_MAX,
            "reason_max": vocabulary.REASON_MAX,
            "note_max": vocabulary.NOTE_MAX,
        }
    }
