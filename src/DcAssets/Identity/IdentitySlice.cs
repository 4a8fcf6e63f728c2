using DcAssets.EventStore;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;

namespace DcAssets.Identity;

/// <summary>People and roles: stable event names and inline read models.</summary>
public static class IdentitySlice
{
    public static void Register(EventStoreOptions options)
    {
        options.Events
            .Register<UserCreated>("user_created")
            .Register<RoleGranted>("user_role_granted")
            .Register<RoleRevoked>("user_role_revoked")
            .Register<PasswordChanged>("user_password_changed")
            .Register<UserDisabled>("user_disabled")
            .Register<ApiTokenIssued>("api_token_issued")
            .Register<ApiTokenRevoked>("api_token_revoked")
            .Register<LoginSucceeded>("login_succeeded")
            .Register<LoginFailed>("login_failed")
            .Register<LoggedOut>("logged_out");
        options.InlineProjections.Add(new UsersProjection());
        options.InlineProjections.Add(new ApiTokenProjection());
        options.InlineProjections.Add(new SignInLogProjection());
    }

    /// <summary>
    /// The same read models on Marten, all inline (written in the saving transaction, as today): a person as the
    /// snapshot of their stream, tokens by token id, the sign-in log. Not read by the product yet.
    /// </summary>
    public static void Register(StoreOptions options)
    {
        options.Projections.Snapshot<User>(SnapshotLifecycle.Inline);
        options.Projections.Add(new ApiTokenRecordProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<SignInRecord>().DocumentAlias(SignInRecordProjection.Alias);
        options.Projections.Add(new SignInRecordProjection(), ProjectionLifecycle.Inline);
    }
}
