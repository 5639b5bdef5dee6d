-- The audit log shows tampering: it is append-only (UPDATE, DELETE and TRUNCATE are refused, as on the ledger), and
-- each entry carries the hash of the entry before it and its own hash over its canonical form, so that an entry edited
-- or removed by someone who got past the triggers (a superuser) breaks the chain where it happened. `npm run
-- audit:verify` (lib/audit/chain.ts) walks it.
--
-- The canonical form is a JSON array, whose text PostgreSQL writes one way only (jsonb orders keys, spaces alike on
-- every server); the time as microseconds since the epoch, which no time zone setting changes.
CREATE OR REPLACE FUNCTION audit_log_hash(
  seq bigint, id bigint, at timestamptz, actor_id integer, action text, entity text, entity_id text,
  before jsonb, after jsonb, prev_hash text
) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT encode(sha256(convert_to(jsonb_build_array(
    seq, id, (extract(epoch FROM at) * 1000000)::bigint, actor_id, action, entity, entity_id, before, after, prev_hash
  )::text, 'UTF8')), 'hex')
$$;
--> statement-breakpoint
-- Instances write entries side by side, and an entry gets its place in the chain when its transaction commits: the
-- insert gives it a placeholder (seq = -id, empty hashes), and audit_log_seal, a trigger deferred to COMMIT, takes the
-- chain's lock (held until the commit is done), reads the last entry and writes seq and the hashes, so that the next
-- one sees it committed and the chain never forks. Taking the lock at the insert instead would hold it for the rest of
-- the transaction, and every writer of the consent API or a webhook would wait for each other's whole transaction.
-- The place in the chain is seq, not the id, which the identity hands out before (a later id may commit first).
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.seq := -NEW.id;
  NEW.prev_hash := '';
  NEW.hash := '';
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER audit_log_chain
  BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_seal() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  -- Every transaction takes the coverage aggregates' rows before this lock (coverage_apply_pending, db/sql/coverage.sql),
  -- whichever of its deferred triggers comes first, so that two committing side by side cannot wait for each other.
  PERFORM coverage_apply_pending();
  PERFORM pg_advisory_xact_lock(hashtext('zgoda.audit_chain'));
  SELECT a.seq, a.hash INTO last_seq, last_hash FROM audit_log a WHERE a.seq > 0 ORDER BY a.seq DESC LIMIT 1;
  last_seq := coalesce(last_seq, 0) + 1;
  last_hash := coalesce(last_hash, repeat('0', 64));
  UPDATE audit_log SET seq = last_seq, prev_hash = last_hash,
    hash = audit_log_hash(last_seq, NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.entity, NEW.entity_id,
      NEW.before, NEW.after, last_hash)
  WHERE id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS audit_log_seal ON audit_log
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER audit_log_seal
  AFTER INSERT ON audit_log DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION audit_log_seal();
--> statement-breakpoint
-- Nothing may change an entry, but its seal: an entry not sealed yet (seq < 0) gets its seq and hashes once, and the
-- rest of it stays as it was.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.seq < 0 AND NEW.seq > 0
      AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.entity, NEW.entity_id, NEW.before, NEW.after)
        IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.entity, OLD.entity_id, OLD.before, OLD.after) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER audit_log_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
