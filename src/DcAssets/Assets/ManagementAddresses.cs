using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace DcAssets.Assets;

/// <summary>
/// What a management address may be: an IPv4 address (four numbers 0–255), an IPv6 address, or a host name.
/// Digits and dots alone are always read as IPv4, so 999.1.1.1 or 10.1.1 is refused rather than taken for a name.
/// </summary>
public static partial class ManagementAddresses
{
    public static bool IsValid(string text)
    {
        if (DottedNumbers().IsMatch(text))
            return text.Split('.') is { Length: 4 } octets && octets.All(o => o.Length is > 0 and <= 3
                && int.Parse(o) <= 255);
        if (text.Contains(':'))
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        return text.Length <= 253 && HostName().IsMatch(text);
    }

    [GeneratedRegex(@"^[0-9.]+$")]
    private static partial Regex DottedNumbers();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex HostName();
}
