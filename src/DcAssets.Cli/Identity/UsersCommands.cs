using System.CommandLine;
using System.Text;
using DcAssets.Identity;

namespace DcAssets.Cli.Identity;

/// <summary>
/// <c>dcassets users add NAME --role ROLE</c> and <c>dcassets users set-password NAME</c>: the first admin and password
/// resets.
/// </summary>
public sealed class UsersCommands : ICliModule
{
    public Command Build()
    {
        var users = new Command("users", "people who sign in: add them, reset their passwords");
        users.Subcommands.Add(Add());
        users.Subcommands.Add(SetPassword());
        return users;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "sign-in name (a-z, 0-9, '.', '_', '-')" };
        var role = new Option<string>("--role") { Description = $"one of {string.Join(", ", Roles.All)}",
            Required = true };
        var stdin = PasswordStdin();
        var ifMissing =
            new Option<bool>("--if-missing") { Description = "leave a user who already exists as they are (roles and " +
                "password untouched) and succeed" };
        var command = new Command("add",
            "create a user; the password is prompted for, or read from stdin with --password-stdin") { name, role,
            stdin, ifMissing };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var password = ReadPassword(pr.GetValue(stdin));
            using var store = await CliStore.OpenMartenAsync();
            await using var query = store.QuerySession();
            if (pr.GetValue(ifMissing) && await UserStream.LoadAsync(query, pr.GetValue(name), ct) is { } existing)
            {
                Console.WriteLine($"user '{existing.Name}' already exists; left as is");
                return 0;
            }
            await using var session = store.OpenSession(CliActor.Current);
            var user = await ManageUsers.Handle(new CreateUserCommand(pr.GetValue(name), pr.GetValue(role), password),
                session, ct);
            Console.WriteLine($"user '{user.Name}' created with role {string.Join(", ", user.Roles)}");
            return 0;
        });
        return command;
    }

    private static Command SetPassword()
    {
        var name = new Argument<string>("name") { Description = "sign-in name" };
        var stdin = PasswordStdin();
        var command = new Command("set-password", "set a user's password (prompted, or --password-stdin)") { name,
            stdin };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var password = ReadPassword(pr.GetValue(stdin));
            using var store = await CliStore.OpenMartenAsync();
            await using var session = store.OpenSession(CliActor.Current);
            var user = await ManageUsers.Handle(new SetPassword(pr.GetValue(name)!, password), session, ct);
            Console.WriteLine($"password of '{user.Name}' changed");
            return 0;
        });
        return command;
    }

    private static Option<bool> PasswordStdin() =>
        new("--password-stdin") { Description = "read the password from the first line of stdin" };

    private static string ReadPassword(bool fromStdin)
    {
        if (fromStdin || Console.IsInputRedirected) return Console.In.ReadLine()?.TrimEnd('\r', '\n') ?? "";
        Console.Error.Write("password: ");
        var first = ReadHidden();
        Console.Error.Write("again: ");
        if (ReadHidden() != first) throw new ArgumentException("the two passwords differ");
        return first;
    }

    private static string ReadHidden()
    {
        var sb = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (sb.Length > 0) sb.Length--; continue; }
            sb.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return sb.ToString();
    }
}
