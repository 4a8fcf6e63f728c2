using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;

namespace DcAssets.Identity;

/// <summary>
/// People and roles: stable event names (one list, read by both stores) and their read models on Marten.
/// </summary>
public static class IdentitySlice
{
    /// <summary>People's use cases (handlers of CreateUserCommand, GrantRole, IssueToken, SignIn...).</summary>
    public static readonly IReadOnlyList<Type> UseCases = [typeof(ManageUsers), typeof(ApiTokens), typeof(SignIns)];

    /// <summary>People's events by their stored names (never change them).</summary>
    public static readonly IReadOnlyList<(Type Type, string Name)> Events =
    [
        (typeof(UserCreated), "user_created"),
        (typeof(RoleGranted), "user_role_granted"),
        (typeof(RoleRevoked), "user_role_revoked"),
        (typeof(PasswordChanged), "user_password_changed"),
        (typeof(UserDisabled), "user_disabled"),
        (typeof(ApiTokenIssued), "api_token_issued"),
        (typeof(ApiTokenRevoked), "api_token_revoked"),
        (typeof(LoginSucceeded), "login_succeeded"),
        (typeof(LoginFailed), "login_failed"),
        (typeof(LoggedOut), "logged_out"),
    ];

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
