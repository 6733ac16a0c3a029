-- The service directory (issue 6): organisations' services, who they accept,
-- accommodation places with the date of their last update, and the
-- prefecture contact persons for trafficking (at least one per département).
-- None of it is about a victim: nothing here is encrypted.
CREATE TABLE services (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    -- accommodation, medical, psychological, legal-aid, interpreting, social, education, return
    kind TEXT NOT NULL,
    -- Where the service is (a département code): distances are measured from it.
    departement TEXT NOT NULL,
    -- Space-separated département codes the service covers; '*' for the whole country.
    covers TEXT NOT NULL,
    -- Space-separated keys; empty means no restriction.
    accepts_sexes TEXT NOT NULL DEFAULT '',
    min_age BIGINT,
    max_age BIGINT,
    accepts_children BIGINT NOT NULL DEFAULT 0,
    forms TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX services_kind_idx ON services (kind, departement);
CREATE INDEX services_organisation_idx ON services (organisation_id);
-- An import replaces a service by its organisation and name.
CREATE UNIQUE INDEX services_organisation_name_idx ON services (organisation_id, name);

-- The coverage of `services.covers`, one row per code ('*' for the whole
-- country), so that the filter by département uses an index.
CREATE TABLE service_covers (
    service_id TEXT NOT NULL REFERENCES services (id),
    departement TEXT NOT NULL,
    PRIMARY KEY (service_id, departement)
);
CREATE INDEX service_covers_departement_idx ON service_covers (departement, service_id);

-- Accommodation capacity, by type of place, as last reported by the provider.
CREATE TABLE service_places (
    service_id TEXT NOT NULL REFERENCES services (id),
    -- emergency, specialised, secure-distant (relais_domain::needs::AccommodationType)
    place_type TEXT NOT NULL,
    total BIGINT NOT NULL,
    free BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT REFERENCES users (id),
    PRIMARY KEY (service_id, place_type)
);
CREATE INDEX service_places_free_idx ON service_places (place_type, free);

CREATE TABLE prefecture_contacts (
    id TEXT PRIMARY KEY,
    departement TEXT NOT NULL,
    prefecture TEXT NOT NULL,
    -- A function rather than a person's name where possible.
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- An import replaces a contact by its département and e-mail address.
CREATE UNIQUE INDEX prefecture_contacts_departement_idx ON prefecture_contacts (departement, email);
