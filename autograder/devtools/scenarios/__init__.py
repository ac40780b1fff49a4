"""Per-assignment submissions for the demo and the tests: typical mistakes and the exact points."""
