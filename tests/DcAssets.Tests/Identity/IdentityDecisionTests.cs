using DcAssets.Identity;

namespace DcAssets.Tests.Identity;

/// <summary>Decisions about people and sign-ins, as pure functions.</summary>
public sealed class IdentityDecisionTests
{
    private static string FakeHash(string p) => "hash:" + p;
    private static User Alice(params string[] roles) =>
        User.Create(new UserCreated("alice", roles.Length == 0 ? [Roles.Engineer] : roles, FakeHash("long enough pw")));

    [Fact]
    public void Creating_a_user_normalises_the_name_and_hashes_the_password()
    {
        var e = ManageUsers.Create(null, new CreateUserCommand(" Alice ", "engineer", "long enough pw"), FakeHash);
        e.Name.Should().Be("alice");
        e.PasswordHash.Should().Be("hash:long enough pw");
    }

    [Fact]
    public void Bad_name_role_and_short_password_are_all_named()
    {
        var act = () => ManageUsers.Create(null, new CreateUserCommand("a b", "janitor", "short"), FakeHash);
        act.Should().Throw<CommandRejected>().Which.Errors.Keys.Should().BeEquivalentTo("name", "role", "password");
    }

    [Fact]
    public void A_revoke_of_a_token_the_user_never_had_leaves_the_user_as_is()
    {
        var alice = Alice();
        alice.Apply(new ApiTokenRevoked("alice", "never-issued")).Should().BeSameAs(alice);
    }

    [Fact]
    public void Granting_a_held_role_decides_nothing_and_the_only_role_cannot_be_revoked()
    {
        ManageUsers.Grant(Alice(), new RoleCommand("engineer")).Should().BeNull();
        var act = () => ManageUsers.Revoke(Alice(), new RoleCommand("engineer"));
        act.Should().Throw<CommandRejected>().Which.Kind.Should().Be(RejectionKind.Conflict);
        ManageUsers.Revoke(Alice(Roles.Engineer, Roles.Admin), new RoleCommand("admin"))!.Role.Should().Be("admin");
    }

    [Fact]
    public void Sign_in_fails_for_unknown_disabled_and_wrong_password_and_succeeds_otherwise()
    {
        bool Verify(string hash, string pw) => hash == FakeHash(pw);
        SignIns.Decide(null, "bob", "x", Verify).Should().BeOfType<LoginFailed>().Which.Reason.Should().Be("unknown user");
        SignIns.Decide(Alice().Apply(new UserDisabled("alice", null)), "alice", "long enough pw", Verify).Should().BeOfType<LoginFailed>();
        SignIns.Decide(Alice(), "alice", "wrong", Verify).Should().BeOfType<LoginFailed>().Which.Reason.Should().Be("wrong password");
        SignIns.Decide(Alice(), "alice", "long enough pw", Verify).Should().BeOfType<LoginSucceeded>();
    }

    [Fact]
    public void Tokens_keep_only_the_hash_and_verify_in_constant_time()
    {
        var token = Credentials.NewToken();
        Credentials.TryParseToken(token.Token, out var id, out var secret).Should().BeTrue();
        id.Should().Be(token.TokenId);
        Credentials.SecretMatches(secret, token.SecretHash).Should().BeTrue();
        Credentials.SecretMatches(secret + "x", token.SecretHash).Should().BeFalse();
        var issued = ApiTokens.Issue(Alice(), new IssueTokenCommand(null), token);
        issued.SecretHash.Should().NotContain(secret);
        var revoke = () => ApiTokens.Revoke(Alice(), "nope");
        revoke.Should().Throw<CommandRejected>().Which.Kind.Should().Be(RejectionKind.NotFound);
    }

    [Fact]
    public void Passwords_use_the_aspnet_core_hasher()
    {
        var hash = Credentials.HashPassword("correct horse battery");
        hash.Should().NotContain("correct");
        Credentials.VerifyPassword(hash, "correct horse battery").Should().BeTrue();
        Credentials.VerifyPassword(hash, "wrong horse battery").Should().BeFalse();
    }

    [Fact]
    public void The_security_stamp_changes_with_the_password_and_when_disabled_but_not_with_roles()
    {
        var alice = Alice();
        var stamp = alice.SecurityStamp();
        alice.Apply(new RoleGranted("alice", Roles.Manager)).SecurityStamp().Should().Be(stamp, "a role change refreshes sessions instead of ending them");
        alice.Apply(ManageUsers.ChangePassword(alice, new ChangePasswordCommand("long enough pw"), p => "rehashed:" + p)).SecurityStamp().Should().NotBe(stamp);
        alice.Apply(ManageUsers.Disable(alice, new DisableUserCommand("left"))!).SecurityStamp().Should().NotBe(stamp);
    }

    [Fact]
    public void A_password_set_back_to_an_earlier_hash_does_not_bring_back_the_earlier_stamp()
    {
        var alice = Alice();
        var stamp = alice.SecurityStamp();
        var changed = alice.Apply(new PasswordChanged("alice", "rehashed:other pw"));
        var back = changed.Apply(new PasswordChanged("alice", alice.PasswordHash));
        back.SecurityStamp().Should().NotBe(stamp, "sessions opened before the first change stay closed");
        back.SecurityStamp().Should().NotBe(changed.SecurityStamp());
    }
}
