using DcAssets.EventStore.Projections;
using Npgsql;

namespace DcAssets.EventStore.Storage;

/// <summary>
/// Creates and upgrades the store's tables. Every step is idempotent and the whole run holds a
/// transaction-scoped advisory lock, so two nodes starting together migrate once, one after the other.
/// </summary>
internal static class SchemaMigrator
{
    public static async Task MigrateAsync(NpgsqlDataSource db, string schema, IEnumerable<DocumentTable> tables, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await Exec(conn, tx, $"select pg_advisory_xact_lock(hashtext('dcassets-migrate:{schema}'))", ct);
        await Exec(conn, tx, Sql.Core(schema), ct);
        foreach (var table in tables) await Exec(conn, tx, table.CreateSql(), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Idempotent DDL of a caller's own tables, under the same lock, so nodes starting together run it one at a time.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource db, string schema, string ddl, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await Exec(conn, tx, $"select pg_advisory_xact_lock(hashtext('dcassets-migrate:{schema}'))", ct);
        await Exec(conn, tx, ddl, ct);
        await tx.CommitAsync(ct);
    }

    private static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

internal static class Sql
{
    public const string ConcurrencyState = "DCA01";
    public const string ArchivedState = "DCA02";

    /// <summary>
    /// One event to one stream in one statement, the common case. The stream row is upserted with
    /// the version check in its WHERE, so a loser gets no row back and the event insert, which
    /// alone takes a sequence value, never runs; append_refused then raises the typed error.
    /// A new row is only proposed when it may exist or may be created (no expected version, or 0).
    /// The chain step reads the row's previous hash under the row lock.
    /// </summary>
    public static string AppendOne(string s) => $"""
        with st as (
            insert into {s}.streams as st (id, type, version, last_hash)
            select $1, $2, 1, sha256(int8send(1) || $7)
             where $3::bigint is null or $3 = 0 or exists (select 1 from {s}.streams x where x.id = $1)
            on conflict (id) do update
               set version = st.version + 1, updated_at = now(),
                   last_hash = sha256(coalesce(st.last_hash, ''::bytea) || int8send(st.version + 1) || $7),
                   type = coalesce(st.type, excluded.type)
             where not st.archived and ($3::bigint is null or st.version = $3)
            returning st.version, st.last_hash
        )
        , ev as (
            insert into {s}.events (stream_id, version, type, data, metadata, recorded_at, hash)
            select $1, st.version, $4, $5, $6, $8, st.last_hash from st
            returning seq, version
        )
        select seq, version from ev
        union all
        select null, {s}.append_refused($1, $3) where not exists (select 1 from st)
        """;

    /// <summary>
    /// The cheaper form of <see cref="AppendOne"/> for a stream that already exists: a plain update of
    /// its row (version check in the WHERE) and the event insert, which alone takes a sequence value.
    /// No row back means the stream is new, archived or at another version; the caller then runs
    /// <see cref="AppendOne"/>, which creates it or raises the typed refusal. Same parameters.
    /// </summary>
    public static string AppendToExisting(string s) => $"""
        with st as (
            update {s}.streams as st
               set version = st.version + 1, updated_at = now(),
                   last_hash = sha256(coalesce(st.last_hash, ''::bytea) || int8send(st.version + 1) || $7),
                   type = coalesce(st.type, $2)
             where st.id = $1 and not st.archived and ($3::bigint is null or st.version = $3)
            returning st.version, st.last_hash
        )
        insert into {s}.events (stream_id, version, type, data, metadata, recorded_at, hash)
        select $1, st.version, $4, $5, $6, $8, st.last_hash from st
        returning seq, version
        """;

    public static string Core(string s) => $$"""
        create schema if not exists {{s}};

        create table if not exists {{s}}.streams (
            id          text primary key,
            type        text,
            version     bigint not null,
            last_hash   bytea,
            archived    boolean not null default false,
            created_at  timestamptz not null default now(),
            updated_at  timestamptz not null default now()
        );

        create table if not exists {{s}}.events (
            seq          bigint generated by default as identity primary key,
            stream_id    text not null,
            version      bigint not null,
            type         text not null,
            -- json, not jsonb: the exact bytes written are kept, so their hash can be recomputed as stored.
            data         json not null,
            metadata     json not null,
            recorded_at  timestamptz not null,
            tx_id        xid8 not null default pg_current_xact_id(),
            hash         bytea not null,
            constraint events_stream_version unique (stream_id, version)
        );
        -- The daemon reads by position and proves gaps with snapshots (see EventFeed); no tx index needed.
        drop index if exists {{s}}.events_tx_seq;
        create index if not exists events_recorded_at on {{s}}.events using brin (recorded_at);

        create table if not exists {{s}}.projection_progress (
            name                  text primary key,
            last_seq              bigint not null default 0,
            state                 text not null default 'running',
            failures              int not null default 0,
            last_error            text,
            error_position        bigint,
            owner                 text,
            rebuild_requested_at  timestamptz,
            rebuild_seq           bigint,
            rebuild_target        bigint,
            updated_at            timestamptz not null default now()
        );

        -- Signed checkpoints of the global hash chain; the key never enters the database.
        create table if not exists {{s}}.seals (
            id            bigint generated always as identity primary key,
            up_to_seq     bigint not null,
            chain_digest  bytea not null,
            event_count   bigint not null,
            sealed_at     timestamptz not null,
            key_id        text not null,
            signature     bytea not null
        );

        -- The sealer's running fold, advanced in the same transaction as its progress.
        create table if not exists {{s}}.seal_chain (
            id            int primary key default 1 check (id = 1),
            last_seq      bigint not null,
            digest        bytea not null,
            event_count   bigint not null,
            sealed_count  bigint not null,
            last_sealed_at timestamptz not null
        );
        {{Integrity.SealSchema.Upgrade(s)}}

        create table if not exists {{s}}.idempotency_keys (
            key         text primary key,
            events      jsonb,
            created_at  timestamptz not null default now()
        );

        -- Appends a batch of events to one stream. The stream row is locked and its version checked
        -- before the insert takes any sequence value, so a losing writer burns no position. The hash
        -- chain is extended here, under the same lock, so it follows the version order exactly.
        -- Raises the typed error for an append that was refused (archived stream or version mismatch).
        create or replace function {{s}}.append_refused(p_stream text, p_expected bigint) returns bigint
        language plpgsql as $fn$
        declare v_current bigint; v_archived boolean;
        begin
            select st.version, st.archived into v_current, v_archived from {{s}}.streams st where st.id = p_stream;
            if coalesce(v_archived, false) then
                raise exception using errcode = '{{ArchivedState}}', message = 'stream is archived: ' || p_stream, hint = v_current::text;
            end if;
            raise exception using errcode = '{{ConcurrencyState}}', message = 'version mismatch on ' || p_stream, hint = coalesce(v_current, 0)::text;
        end
        $fn$;

        drop function if exists {{s}}.append_to_stream(text, text, bigint, text[], jsonb[], jsonb[], bytea[], timestamptz);
        create or replace function {{s}}.append_to_stream(
            p_stream text, p_stream_type text, p_expected bigint,
            p_types text[], p_data json[], p_metadata json[], p_digests bytea[], p_recorded_at timestamptz)
        returns table (seq bigint, version bigint)
        language plpgsql as $fn$
        declare
            v_current bigint; v_hash bytea; v_archived boolean;
            v_hashes bytea[] := array[]::bytea[];
            n int := cardinality(p_types);
        begin
            loop
                select st.version, st.last_hash, st.archived into v_current, v_hash, v_archived
                  from {{s}}.streams st where st.id = p_stream for update;
                exit when found;
                insert into {{s}}.streams (id, type, version) values (p_stream, p_stream_type, 0)
                  on conflict (id) do nothing;
            end loop;
            if v_archived then
                raise exception using errcode = '{{ArchivedState}}', message = 'stream is archived: ' || p_stream, hint = v_current::text;
            end if;
            if p_expected is not null and v_current <> p_expected then
                raise exception using errcode = '{{ConcurrencyState}}', message = 'version mismatch on ' || p_stream, hint = v_current::text;
            end if;
            for i in 1..n loop
                v_hash := sha256(coalesce(v_hash, ''::bytea) || int8send(v_current + i) || p_digests[i]);
                v_hashes := v_hashes || v_hash;
            end loop;
            update {{s}}.streams st
               set version = v_current + n, last_hash = v_hash, updated_at = now(),
                   type = coalesce(st.type, p_stream_type)
             where st.id = p_stream;
            return query
                insert into {{s}}.events as e (stream_id, version, type, data, metadata, recorded_at, hash)
                select p_stream, v_current + u.ord, u.t, u.d, u.m, p_recorded_at, u.h
                  from unnest(p_types, p_data, p_metadata, v_hashes) with ordinality as u(t, d, m, h, ord)
                returning e.seq, e.version;
        end
        $fn$;
        """;
}
