using DcAssets.EventStore;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;

namespace DcAssets.Identity;

/// <summary>People and roles: stable event names (one list, read by both stores) and their read models on Marten.</summary>
public static class IdentitySlice
{
    /// <summary>People's use cases (handlers of CreateUserCommand, GrantRole, IssueToken, SignIn...).</summary>
    public static readonly IReadOnlyList<Type> UseCases = [typeof(ManageUsers), typeof(ApiTokens), typeof(SignIns)];

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
    }

    /// <summary>
    /// The read models, all inline (written in the saving transaction): a person as the snapshot of their stream,
    /// tokens by token id, the sign-in log.
    /// </summary>
    public static void Register(StoreOptions options)
    {
        options.Projections.Snapshot<User>(SnapshotLifecycle.Inline);
        options.Projections.Add(new ApiTokenRecordProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<SignInRecord>().DocumentAlias(SignInRecordProjection.Alias);
        options.Projections.Add(new SignInRecordProjection(), ProjectionLifecycle.Inline);
    }
}
