namespace DcAssets.EventStore.Integrity;

/// <summary>
/// Columns that chain the seals (number, predecessor's signature, writing transaction) and let the
/// sealer remember the last seal. Added only when missing: an ALTER on every start would queue an
/// exclusive lock behind a long verify and stall the sealer.
/// </summary>
internal static class SealSchema
{
    public static string Upgrade(string s) => $"""
        do $seal$ begin
            if not exists (select 1 from information_schema.columns where table_schema = '{s}' and table_name = 'seals' and column_name = 'seal_no') then
                -- tx_id: an event inside a sealed range was written before its seal, so by an older transaction.
                alter table {s}.seals add column seal_no bigint, add column prev_signature bytea,
                    add column tx_id xid8 not null default pg_current_xact_id();
                create unique index seals_seal_no on {s}.seals (seal_no);
            end if;
            if not exists (select 1 from information_schema.columns where table_schema = '{s}' and table_name = 'seal_chain' and column_name = 'last_seal_no') then
                alter table {s}.seal_chain add column last_seal_no bigint not null default 0,
                    add column last_signature bytea not null default ''::bytea;
            end if;
        end $seal$;
        """;
}
