namespace DcAssets.Identity;

// People and their credentials. Password and token secrets are stored only as hashes.
public sealed record UserCreated(string Name, string[] Roles, string PasswordHash);
public sealed record RoleGranted(string Name, string Role);
public sealed record RoleRevoked(string Name, string Role);
public sealed record PasswordChanged(string Name, string PasswordHash);
public sealed record UserDisabled(string Name, string? Reason);
public sealed record ApiTokenIssued(string Name, string TokenId, string SecretHash, string Label);
public sealed record ApiTokenRevoked(string Name, string TokenId);

// Sign-ins are history too: security officers ask who came in, from where, and who was turned away.
public sealed record LoginSucceeded(string Name, string Method);
public sealed record LoginFailed(string Name, string Reason);
public sealed record LoggedOut(string Name);
