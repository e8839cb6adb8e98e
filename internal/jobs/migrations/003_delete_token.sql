-- Deleting a job (issue 10): the creator gets a random token with the job
-- and may delete it before the retention does. Only its SHA-256 (hex) is
-- kept, so the database alone cannot delete anything. Jobs made before
-- have none ('') and are left to the retention.
ALTER TABLE jobs ADD COLUMN delete_hash TEXT NOT NULL DEFAULT '';
