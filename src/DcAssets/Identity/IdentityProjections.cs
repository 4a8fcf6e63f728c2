using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace DcAssets.Identity;

// The Identity read models as Marten projections, all inline.

/// <summary>
/// Tokens keyed by token id, across users' streams. Written out as <c>Evolve</c> rather than conventional
/// methods: the record is positional (no empty constructor to start from), and a revoke of a token never issued
/// must leave no document, as the old projection did.
/// </summary>
public sealed class ApiTokenRecordProjection : MultiStreamProjection<ApiTokenRecord, string>
{
    public ApiTokenRecordProjection()
    {
        Identity<ApiTokenIssued>(e => e.TokenId);
        Identity<ApiTokenRevoked>(e => e.TokenId);
    }

    public override ApiTokenRecord? Evolve(ApiTokenRecord? snapshot, string id, IEvent e) => e.Data switch
    {
        ApiTokenIssued i => new ApiTokenRecord(i.TokenId, i.Name, i.SecretHash, i.Label, false),
        ApiTokenRevoked => snapshot is null ? null : snapshot with { Revoked = true },
        _ => snapshot,
    };
}

/// <summary>
/// One line per sign-in event, keyed by the event's sequence number in 19 digits (so the log sorts by id), with
/// where it came from taken from the event's headers. Marten's default quick append numbers events inside the
/// INSERT, after inline projections have run (they see sequence 0), so the line is written by SQL queued behind
/// that INSERT in the same transaction, reading the number from the event's row.
/// </summary>
public sealed class SignInRecordProjection : EventProjection
{
    /// <summary>The document alias: Marten's table is mt_doc_sign_in_log.</summary>
    public const string Alias = "sign_in_log";

    public SignInRecordProjection()
    {
        IncludeType<LoginSucceeded>();
        IncludeType<LoggedOut>();
        IncludeType<LoginFailed>();
        // Written by SQL rather than Store(), so Marten is told the projection owns the table (creation, rebuild).
        RegisterPublishedType(typeof(SignInRecord));
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        (string Name, string Outcome, string? Detail)? line = e.Data switch
        {
            LoginSucceeded s => (s.Name, "login_succeeded", s.Method),
            LoginFailed f => (f.Name, "login_failed", f.Reason),
            LoggedOut o => (o.Name, "logged_out", null),
            _ => null,
        };
        if (line is not { } l) return ValueTask.CompletedTask;
        var record = new SignInRecord("", l.Name, l.Outcome, l.Detail, e.Timestamp,
            EventHeaders.Read(e, EventHeaders.ClientAddress), EventHeaders.Read(e, EventHeaders.Source));
        var options = operations.DocumentStore.Options;
        var (docs, events) = (options.DatabaseSchemaName, options.Events.DatabaseSchemaName);
        // The event's id is given by the session before the INSERT; a replay of the event rewrites its line.
        operations.QueueSqlCommand($$"""
            insert into {{docs}}.mt_doc_{{Alias}} (id, data, mt_dotnet_type)
            select n.id, jsonb_set(?::jsonb, '{id}', to_jsonb(n.id)), ?
              from (select lpad(seq_id::text, 19, '0') as id from {{events}}.mt_events where id = ?) n
            on conflict (id) do update set data = excluded.data, mt_last_modified = transaction_timestamp()
            """, options.Serializer().ToJson(record), typeof(SignInRecord).FullName!, e.Id);
        return ValueTask.CompletedTask;
    }
}
