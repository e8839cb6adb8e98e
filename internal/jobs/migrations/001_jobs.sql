-- Jobs: one row per conversion. Times are Unix nanoseconds (UTC).
CREATE TABLE jobs (
	id          TEXT PRIMARY KEY,               -- jobs.NewID(): 128 random bits, hex
	file_name   TEXT NOT NULL,                  -- the name the user uploaded
	upload      TEXT NOT NULL,                  -- server-chosen path of the stored upload
	options     TEXT NOT NULL DEFAULT '{}',     -- jobs.Options as JSON
	state       TEXT NOT NULL DEFAULT 'queued'
	            CHECK (state IN ('queued', 'running', 'done', 'failed')),
	attempts    INTEGER NOT NULL DEFAULT 0,     -- claims so far; never decreases
	owner       TEXT NOT NULL DEFAULT '',       -- lease holder (dispatcher id) while running
	lease_until INTEGER NOT NULL DEFAULT 0,
	created     INTEGER NOT NULL,
	updated     INTEGER NOT NULL,
	result      TEXT,                           -- jobs.Result as JSON once done
	trackers    INTEGER,                        -- result counts, as columns for queries
	keyframes   INTEGER,
	first_frame INTEGER,
	last_frame  INTEGER,
	error       TEXT NOT NULL DEFAULT ''        -- user-facing message of a failed job
);

-- The queue: the oldest queued job first.
CREATE INDEX jobs_queue ON jobs (state, created);
-- Rescue: running jobs by lease expiry.
CREATE INDEX jobs_lease ON jobs (state, lease_until);
