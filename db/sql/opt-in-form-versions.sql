-- A version of an opt-in form is what customers read when they ticked its boxes, and grants name it as evidence: once
-- written it is never changed or removed. A change of the wording is a new version.
CREATE OR REPLACE FUNCTION opt_in_form_versions_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'opt_in_form_versions are immutable: % is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER opt_in_form_versions_no_update_delete
  BEFORE UPDATE OR DELETE ON opt_in_form_versions
  FOR EACH ROW EXECUTE FUNCTION opt_in_form_versions_refuse_change();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER opt_in_form_versions_no_truncate
  BEFORE TRUNCATE ON opt_in_form_versions
  FOR EACH STATEMENT EXECUTE FUNCTION opt_in_form_versions_refuse_change();
