using DcAssets.EventStore;

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
}
