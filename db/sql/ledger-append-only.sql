-- The consent ledger is evidence: once written, an event is never changed or removed. Corrections are new events
-- (a withdrawal after a grant), so the history a regulator or a customer asks for is the one that was recorded.
-- Row triggers catch UPDATE and DELETE; TRUNCATE fires no row trigger and has its own statement trigger.
CREATE OR REPLACE FUNCTION consent_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER consent_events_no_update_delete
  BEFORE UPDATE OR DELETE ON consent_events
  FOR EACH ROW EXECUTE FUNCTION consent_events_refuse_change();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER consent_events_no_truncate
  BEFORE TRUNCATE ON consent_events
  FOR EACH STATEMENT EXECUTE FUNCTION consent_events_refuse_change();
