"""Figure builders and French formatting: pure functions from query results to what pages display."""
