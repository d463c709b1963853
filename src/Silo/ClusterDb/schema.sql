-- Orlog's cluster database, schema version 1 (ClusterDatabase.SchemaVersion).
--
-- ClusterDatabase runs this script once, in one transaction, on a database that holds none of these
-- objects, then records the cluster id and the version in orlog_cluster. It is never run twice on the
-- same database; a later version adds a schema-<n>.sql of its own that upgrades from n-1.
--
-- Orleans' ADO.NET providers (Microsoft.Orleans.Clustering.AdoNet and .Persistence.AdoNet) read every
-- statement they issue from the OrleansQuery table: the table name and its two columns are fixed by the
-- providers, everything else here is Orlog's. The providers bind parameters by name (@Name) and read
-- result columns by name, case-insensitively, so Orlog's snake_case columns are aliased to the names the
-- providers ask for. docs/cluster.md describes the contract for operators.

-- The statements the providers run, by the key they look them up with.
CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text NOT NULL
);

---------------------------------------------------------------------------------------------------------
-- Membership (Orleans' "extended membership protocol"): one version row per cluster, bumped by every
-- change to the cluster's silo rows. A change names the version it read and succeeds only if that is still
-- the current one, so that two silos changing membership concurrently cannot both win. Heartbeats
-- (i_am_alive_at) are not changes and leave the version alone.
---------------------------------------------------------------------------------------------------------

CREATE TABLE orlog_membership_version
(
    cluster_id varchar(150) PRIMARY KEY,
    version    integer      NOT NULL DEFAULT 0,
    changed_at timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE orlog_membership
(
    cluster_id    varchar(150) NOT NULL REFERENCES orlog_membership_version (cluster_id),
    address       varchar(45)  NOT NULL,
    port          integer      NOT NULL,
    generation    integer      NOT NULL,
    silo_name     varchar(150) NOT NULL,
    host_name     varchar(150) NOT NULL,
    -- Orleans' SiloStatus: 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead.
    status        integer      NOT NULL,
    gateway_port  integer,
    -- Votes against this silo: "silo-address,time|silo-address,time", as Orleans formats them.
    suspect_times text,
    started_at    timestamptz  NOT NULL,
    i_am_alive_at timestamptz  NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

-- Bumps the cluster's membership version from expected_version; raises orlog_stale_membership (OL001)
-- when another change got there first, which rolls back whatever the caller did in the same block.
CREATE FUNCTION orlog_bump_membership_version(the_cluster varchar, expected_version integer)
    RETURNS void
    LANGUAGE plpgsql
AS $body$
BEGIN
    UPDATE orlog_membership_version
       SET version = version + 1, changed_at = now()
     WHERE cluster_id = the_cluster AND version = expected_version;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'membership version of % is no longer %', the_cluster, expected_version
            USING ERRCODE = 'OL001';
    END IF;
END
$body$;

-- A new silo row and a version bump, both or neither: 1 when done, 0 when the row exists already or the
-- version moved on.
CREATE FUNCTION orlog_join_membership(
    the_cluster varchar, the_address varchar, the_port integer, the_generation integer,
    the_silo_name varchar, the_host_name varchar, the_status integer, the_gateway_port integer,
    the_started_at timestamptz, the_i_am_alive_at timestamptz, expected_version integer)
    RETURNS integer
    LANGUAGE plpgsql
AS $body$
BEGIN
    INSERT INTO orlog_membership (cluster_id, address, port, generation, silo_name, host_name, status,
                                  gateway_port, started_at, i_am_alive_at)
    VALUES (the_cluster, the_address, the_port, the_generation, the_silo_name, the_host_name, the_status,
            the_gateway_port, the_started_at, the_i_am_alive_at);
    PERFORM orlog_bump_membership_version(the_cluster, expected_version);
    RETURN 1;
EXCEPTION
    WHEN unique_violation OR SQLSTATE 'OL001' THEN
        RETURN 0;
END
$body$;

-- A changed silo row (status, votes, heartbeat) and a version bump, both or neither: 1 when done, 0 when
-- the version moved on or the row is gone.
CREATE FUNCTION orlog_change_membership(
    the_cluster varchar, the_address varchar, the_port integer, the_generation integer,
    the_status integer, the_suspect_times text, the_i_am_alive_at timestamptz, expected_version integer)
    RETURNS integer
    LANGUAGE plpgsql
AS $body$
BEGIN
    PERFORM orlog_bump_membership_version(the_cluster, expected_version);
    UPDATE orlog_membership
       SET status = the_status, suspect_times = the_suspect_times, i_am_alive_at = the_i_am_alive_at
     WHERE cluster_id = the_cluster AND address = the_address AND port = the_port
       AND generation = the_generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no membership row for %:%@%', the_address, the_port, the_generation
            USING ERRCODE = 'OL001';
    END IF;
    RETURN 1;
EXCEPTION
    WHEN SQLSTATE 'OL001' THEN
        RETURN 0;
END
$body$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
-- 1 when this call created the cluster's version row, 0 when it was there.
('InsertMembershipVersionKey', $q$
    WITH created AS (
        INSERT INTO orlog_membership_version (cluster_id) VALUES (@DeploymentId)
        ON CONFLICT (cluster_id) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer FROM created
$q$),
('InsertMembershipKey', $q$
    SELECT orlog_join_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                 @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)
$q$),
('UpdateMembershipKey', $q$
    SELECT orlog_change_membership(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                                   @IAmAliveTime, @Version)
$q$),
-- A heartbeat: not a membership change, so no version check and no bump.
('UpdateIAmAlivetimeKey', $q$
    UPDATE orlog_membership SET i_am_alive_at = @IAmAliveTime
     WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),
-- The version row always comes back (outer join), with the silo's columns null when it has no row:
-- Orleans takes a null StartTime for "no such silo".
('MembershipReadRowKey', $q$
    SELECT v.cluster_id AS "DeploymentId", m.address AS "Address", m.port AS "Port",
           m.generation AS "Generation", m.silo_name AS "SiloName", m.host_name AS "HostName",
           m.status AS "Status", m.gateway_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
           m.started_at AS "StartTime", m.i_am_alive_at AS "IAmAliveTime", v.version AS "Version"
      FROM orlog_membership_version v
      LEFT JOIN orlog_membership m
        ON m.cluster_id = v.cluster_id AND m.address = @Address AND m.port = @Port
       AND m.generation = @Generation
     WHERE v.cluster_id = @DeploymentId
$q$),
('MembershipReadAllKey', $q$
    SELECT v.cluster_id AS "DeploymentId", m.address AS "Address", m.port AS "Port",
           m.generation AS "Generation", m.silo_name AS "SiloName", m.host_name AS "HostName",
           m.status AS "Status", m.gateway_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
           m.started_at AS "StartTime", m.i_am_alive_at AS "IAmAliveTime", v.version AS "Version"
      FROM orlog_membership_version v
      LEFT JOIN orlog_membership m ON m.cluster_id = v.cluster_id
     WHERE v.cluster_id = @DeploymentId
$q$),
-- Clients find gateways here: the active silos that have one.
('GatewaysQueryKey', $q$
    SELECT address AS "Address", gateway_port AS "ProxyPort", generation AS "Generation"
      FROM orlog_membership
     WHERE cluster_id = @DeploymentId AND status = @Status AND gateway_port > 0
$q$),
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM orlog_membership WHERE cluster_id = @DeploymentId;
    DELETE FROM orlog_membership_version WHERE cluster_id = @DeploymentId
$q$),
-- Forgetting dead silos: only rows that are dead (6), quiet since before the cut-off and carry no votes.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM orlog_membership
     WHERE cluster_id = @DeploymentId AND status = 6 AND suspect_times IS NULL
       AND i_am_alive_at < @IAmAliveTime AND started_at < @IAmAliveTime
$q$),
-- Forgetting one dead silo, only if its row is still exactly as the caller saw it.
('CleanupDefunctSiloEntryKey', $q$
    DELETE FROM orlog_membership
     WHERE cluster_id = @DeploymentId AND status = 6
       AND address = @Address AND port = @Port AND generation = @Generation
       AND i_am_alive_at = @IAmAliveTime AND started_at = @StartTime
       AND suspect_times IS NOT DISTINCT FROM @SuspectTimes
$q$);

---------------------------------------------------------------------------------------------------------
-- Grain state (the default grain storage: Orlog's metadata). One row per grain and state, identified by
-- the service, the grain type and the grain's key (two 64-bit halves and an optional string). version is
-- the ETag: every write names the version it read (none for a first write) and succeeds only if that is
-- still the stored one, so a stale second activation of a grain cannot overwrite a newer state.
---------------------------------------------------------------------------------------------------------

CREATE TABLE orlog_grain_state
(
    service_id      varchar(150) NOT NULL,
    grain_type      varchar(512) NOT NULL,
    grain_type_hash integer      NOT NULL,
    grain_id_hash   integer      NOT NULL,
    grain_id_n0     bigint       NOT NULL,
    grain_id_n1     bigint       NOT NULL,
    grain_key_ext   varchar(512),
    -- The state as UTF-8 JSON (System.Text.Json); null after a clear.
    payload         bytea,
    version         integer      NOT NULL,
    modified_at     timestamptz  NOT NULL DEFAULT now()
);

-- One row per grain: a missing key extension counts as the empty one, so that two first writes of the
-- same grain cannot both insert.
CREATE UNIQUE INDEX orlog_grain_state_identity ON orlog_grain_state
    (grain_id_hash, grain_type_hash, service_id, grain_type, grain_id_n0, grain_id_n1,
     (coalesce(grain_key_ext, '')));

-- Returns the new version, or null when expected_version is not the stored one (null: no row may exist).
-- Orleans reads a null as a conflict and throws InconsistentStateException.
CREATE FUNCTION orlog_write_grain_state(
    the_id_hash integer, the_n0 bigint, the_n1 bigint, the_type_hash integer, the_type varchar,
    the_key_ext varchar, the_service varchar, expected_version integer, the_payload bytea)
    RETURNS TABLE ("NewGrainStateVersion" integer)
    LANGUAGE plpgsql
AS $body$
DECLARE
    written integer;
BEGIN
    IF expected_version IS NULL THEN
        INSERT INTO orlog_grain_state (service_id, grain_type, grain_type_hash, grain_id_hash,
                                       grain_id_n0, grain_id_n1, grain_key_ext, payload, version)
        VALUES (the_service, the_type, the_type_hash, the_id_hash, the_n0, the_n1, the_key_ext,
                the_payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO written;
    ELSE
        UPDATE orlog_grain_state
           SET payload = the_payload, version = version + 1, modified_at = now()
         WHERE grain_id_hash = the_id_hash AND grain_type_hash = the_type_hash
           AND service_id = the_service AND grain_type = the_type
           AND grain_id_n0 = the_n0 AND grain_id_n1 = the_n1
           AND coalesce(grain_key_ext, '') = coalesce(the_key_ext, '')
           AND version = expected_version
        RETURNING version INTO written;
    END IF;
    RETURN QUERY SELECT written;
END
$body$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', $q$
    SELECT "NewGrainStateVersion"
      FROM orlog_write_grain_state(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                                   @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)
$q$),
-- No row: Orleans starts the grain from its default state with no ETag.
('ReadFromStorageKey', $q$
    SELECT payload AS "PayloadBinary", version AS "Version"
      FROM orlog_grain_state
     WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
       AND service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND coalesce(grain_key_ext, '') = coalesce(@GrainIdExtensionString, '')
$q$),
-- A clear keeps the row (payload null) and bumps the version; no row back means a stale ETag.
('ClearStorageKey', $q$
    UPDATE orlog_grain_state
       SET payload = NULL, version = version + 1, modified_at = now()
     WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
       AND service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND coalesce(grain_key_ext, '') = coalesce(@GrainIdExtensionString, '')
       AND version = @GrainStateVersion
    RETURNING version
$q$),
-- Used instead of the clear when the storage is set to delete on clear; returns the version after the
-- deleted one, as the provider expects.
('DeleteStorageKey', $q$
    DELETE FROM orlog_grain_state
     WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
       AND service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND coalesce(grain_key_ext, '') = coalesce(@GrainIdExtensionString, '')
       AND version = @GrainStateVersion
    RETURNING version + 1
$q$);

---------------------------------------------------------------------------------------------------------
-- Orlog's own record of whose database this is: exactly one row, written by ClusterDatabase.
---------------------------------------------------------------------------------------------------------

CREATE TABLE orlog_cluster
(
    singleton      boolean      PRIMARY KEY DEFAULT true CHECK (singleton),
    cluster_id     varchar(150) NOT NULL,
    schema_version integer      NOT NULL,
    created_at     timestamptz  NOT NULL DEFAULT now(),
    upgraded_at    timestamptz  NOT NULL DEFAULT now()
);
