"""`zhenwu bench-data`: a deterministic county of generated records for benchmarks.

A county of townships, villages and grids with their offices and accounts, years of cases with their
events, an indicator catalog with targets and monthly values, key projects, and a household register,
bulk-loaded (COPY on PostgreSQL) into an empty, migrated database. Everything is drawn from
`random.Random` seeded by `--seed` and dated back from `--until`, so the same two give the same rows;
only the ciphertexts of identity numbers and the password hash differ, because their nonces and salt
are random by design.
"""
