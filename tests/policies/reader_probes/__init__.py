"""The probes of each round of the reader's vocabulary (rounds 15 to 18): lists of texts, read by
tests/policies/test_reader_probes.py. A probe is a crisis idea, request or everyday line said in
the round's own words, not a corpus line: CRISIS must escalate, CALM must not, PERSONAL is a
request to the therapist and not crisis, NEITHER is neither crisis nor a request. An entry is a
text or a (language, text) pair."""
