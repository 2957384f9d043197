"""Dispute cases (争议): the adjudication workflow from an opened case to a recorded ruling.

Sits above `ingest` in the dependency chain (api → cases → ingest → graph): a decision is written the way
a loaded ruling is (`ingest.rulings`), and the proposal a case keeps is the caller's `ask` snapshot.
"""
