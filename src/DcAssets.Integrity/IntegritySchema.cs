using System.Data.Common;
using Marten;
using Weasel.Core;
using Weasel.Postgresql;

namespace DcAssets.Integrity;

/// <summary>
/// The database side of the tamper evidence, installed by Marten's own schema migration as an extended
/// schema object: a side table of per-stream chain hashes, the seals table, and a trigger on
/// <c>mt_events</c> that chains every inserted event inside the server, in the appending transaction.
/// </summary>
/// <remarks>
/// Why a trigger and not a session listener: Marten serialises events after listeners run, so a listener
/// cannot hash what is stored and would need its own canonical JSON matching jsonb's key order and number
/// form exactly (any slip is a false alarm), plus one extra query per save for the previous hash; and it
/// would not see appends made outside sessions. The trigger hashes jsonb's own text output in the appending
/// transaction, whatever the append mode (quick, rich, bulk).
/// What it costs (benchmark group integrity at DCASSETS_BENCH_SCALE=0.2, four runs of each revision on 2 cores
/// shared with other work, so read the ranges, not the digits): batch appends (1,000 events over 100 streams in
/// one save) 0.61-0.71x plain Marten with revision r2, against 0.56-0.62x with r1 (the median batch +18-23 ms
/// over plain, against +28-32 ms); single appends (16 writers, one event per save) 0.82-0.90x, against
/// 0.73-0.86x. On the server, in CPU per 1,000 quick-appended events: plain Marten 24-27 ms, r1 +28 ms, r2
/// +18 ms. The 0.8 target for batches is out of reach of any row trigger here: Marten 9.62's
/// mt_quick_append_events runs one single-row INSERT per event, so every event pays the trigger's call, the
/// side-table insert (about 5 µs with its key), the previous-hash probe (3-4 µs) and the canonical bytes and
/// sha256 (about 4 µs), measured one by one. Measured and rejected: a statement-level trigger with a transition
/// table (+35 µs per event: each statement carries one row), a per-stream heads table kept by upsert (+7 µs over
/// r2), a transaction-local cache of the last link in a setting (saves the probe, costs as much), an AFTER row
/// trigger (the same as BEFORE within noise). A listener stand-in doing only its extra query measured 0.84-0.88x
/// on single appends before this revision.
/// Why a side table: Marten owns mt_events, and its migration drops a column it does not know (seen with
/// 9.62 when the event metadata settings changed); a table of our own is never touched by it. It is keyed by
/// (stream_id, version), which is how the trigger finds the previous hash. The previous event of a stream
/// is always visible to the trigger: Marten computes the new version from the committed stream row, and
/// the unique (stream_id, version) index makes a concurrent append of the same version wait, then fail.
/// </remarks>
internal sealed class IntegritySchema(StoreOptions options) : ISchemaObject
{
    // Read when the migration runs, not when registered: metadata columns may be switched on after.
    private string Schema => options.Events.DatabaseSchemaName;

    /// <summary>Bumped whenever the SQL below changes, so Marten's migration replaces what is installed.</summary>
    private const string Revision = "integrity-r2";

    public DbObjectName Identifier =>
        new PostgresqlObjectName(Schema, Names.HashFunction, SchemaUtils.IdentifierUsage.Function);

    public IEnumerable<DbObjectName> AllNames() =>
        [Identifier, Table(Names.Hashes), Table(Names.Seals)];

    private PostgresqlObjectName Table(string name) => new(Schema, name, SchemaUtils.IdentifierUsage.General);

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) =>
        builder.Append($"""
            select obj_description(p.oid, 'pg_proc'),
                   exists (select 1 from pg_trigger t join pg_class c on c.oid = t.tgrelid
                            join pg_namespace cn on cn.oid = c.relnamespace
                            where cn.nspname = '{Schema}' and c.relname = 'mt_events' and t.tgname = '{Names.Trigger}'
                              and t.tgenabled = 'O')
              from pg_proc p join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = '{Schema}' and p.proname = '{Names.HashFunction}';
            """);

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct)) return new SchemaObjectDelta(this, SchemaPatchDifference.Create);
        var revision = await reader.IsDBNullAsync(0, ct) ? null : reader.GetString(0);
        var triggerOn = reader.GetBoolean(1);
        return new SchemaObjectDelta(this,
            revision == Revision && triggerOn ? SchemaPatchDifference.None : SchemaPatchDifference.Update);
    }

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
        writer.WriteLine(Sql(Schema, EventColumns.From(options)));

    // Only the trigger and functions: the hashes and seals are evidence and are never dropped by a migration.
    public void WriteDropStatement(Migrator migrator, TextWriter writer) => writer.WriteLine($"""
        drop trigger if exists {Names.Trigger} on {Schema}.mt_events;
        drop function if exists {Schema}.{Names.HashFunction}();
        """);

    /// <summary>
    /// Idempotent DDL. The canonical form is length-prefixed so no two events share an encoding, and
    /// mirrors <see cref="CanonicalEvent"/> field for field. jsonb is hashed in its text output
    /// (<c>data::text</c>), which PostgreSQL writes the same way on every read.
    /// </summary>
    internal static string Sql(string s, EventColumns c) => $$"""
        do $check$ begin
            if to_regclass('{{s}}.mt_events') is null then
                raise exception 'tamper evidence needs Marten''s event tables: register event types first';
            end if;
        end $check$;
        create table if not exists {{s}}.{{Names.Hashes}} (
            stream_id varchar not null,
            version bigint not null,
            seq_id bigint not null,
            hash bytea not null,
            primary key (stream_id, version));
        create table if not exists {{s}}.{{Names.Seals}} (
            seal_no bigint primary key,
            from_seq bigint not null,
            up_to_seq bigint not null,
            event_count bigint not null,
            chain_head bytea not null,
            previous_signature bytea not null,
            sealed_at timestamptz not null,
            key_id varchar not null,
            signature bytea not null);

        create or replace function {{s}}.{{Names.HashFunction}}() returns trigger language plpgsql as $f$
        declare
            -- The canonical event is built here, in plpgsql's own expressions, and only the finished bytes go into
            -- the INSERT: the same expression inside the INSERT's VALUES cost about 7 µs more per row (measured),
            -- and the jsonb columns are rendered once each instead of once for the length and once for the bytes.
            v_body bytea := convert_to(new.data::text, 'UTF8'); -- jsonb's text output, the same on every read
            v_headers bytea := convert_to({{c.New("headers")}}, 'UTF8');
            v_canonical bytea := {{Text("new.stream_id")}}
                || int8send(new.version)
                || '\x00000024'::bytea || convert_to(new.id::text, 'UTF8') -- a uuid's text is always 36 bytes
                || {{Text("new.type")}}
                || int8send((extract(epoch from new.timestamp) * 1000000)::bigint)
                || {{Text("new.tenant_id")}}
                || {{Bytes("v_body")}}
                || {{Bytes("new.bdata")}}
                || {{Bytes("v_headers")}}
                || {{Text(c.New("correlation_id"))}}
                || {{Text(c.New("causation_id"))}}
                || {{Text(c.New("user_name"))}};
        begin
            -- One statement: the previous hash (the latest below this version: the version before it, except in
            -- Marten's tombstone stream, whose versions are sequence numbers) is looked up inside the INSERT.
            insert into {{s}}.{{Names.Hashes}} (stream_id, version, seq_id, hash)
            select new.stream_id, new.version, new.seq_id, sha256(coalesce(
                       (select h.hash from {{s}}.{{Names.Hashes}} h
                         where h.stream_id = new.stream_id and h.version < new.version
                         order by h.version desc limit 1), ''::bytea) || v_canonical);
            return new;
        end
        $f$;
        comment on function {{s}}.{{Names.HashFunction}}() is '{{Revision}}';

        drop trigger if exists {{Names.Trigger}} on {{s}}.mt_events;
        create trigger {{Names.Trigger}} before insert on {{s}}.mt_events
            for each row execute function {{s}}.{{Names.HashFunction}}();
        """;

    // Written out inline: a call to a helper function per field costs a function call per field per event.
    private static string Text(string value) =>
        $"coalesce(int4send(octet_length(convert_to({value}, 'UTF8'))) || convert_to({value}, 'UTF8'), " +
        "'\\xffffffff'::bytea)";

    private static string Bytes(string value) =>
        $"coalesce(int4send(length({value})) || {value}, '\\xffffffff'::bytea)";
}

/// <summary>Names of the objects this layer adds beside Marten's.</summary>
internal static class Names
{
    public const string Hashes = "mt_integrity_hashes";
    public const string Seals = "mt_integrity_seals";
    public const string HashFunction = "mt_integrity_hash_event";
    public const string Trigger = "mt_integrity_chain";
}
