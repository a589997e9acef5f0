"""What several rules ask of the code, by topic; shared so no rule copies another."""
