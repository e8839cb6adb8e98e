-- Attempts count only the job's own failures (issue 9). A claim used to
-- count an attempt, so restarts and dead dispatchers used up MAX_ATTEMPTS.
-- Now:
--   attempts  tries charged to the job: the claim counts one, and a run that
--             ended for a reason not the job's own (shutdown, a dead
--             dispatcher, a result the database could not take) gives it back
--   runs      claims so far; never decreases, so (owner, runs) names one run
--             for ever: the lease fence, which attempts can no longer be
--   requeues  times the job went back to the queue for a reason not its own;
--             capped (MAX_REQUEUES) so that no job loops for ever
ALTER TABLE jobs ADD COLUMN runs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN requeues INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET runs = attempts;
