namespace DcAssets.Web.Assets.Labels;

/// <summary>
/// The address people reach this host by (DCASSETS_PUBLIC_URL or Web:PublicUrl), for what leaves the browser:
/// a QR label printed today is scanned by a phone next year, so it must not carry whatever host name the
/// printing request happened to use (127.0.0.1 on the demo). Unset, the request's own address is used.
/// </summary>
public sealed record PublicUrl(Uri? Base)
{
    public const string Variable = "DCASSETS_PUBLIC_URL", Key = "Web:PublicUrl";

    /// <summary>
    /// Read and checked once at start: anything but an absolute http(s) URL stops the host with a message naming the
    /// setting.
    /// </summary>
    public static PublicUrl From(IConfiguration config)
    {
        var text = config[Variable] is { Length: > 0 } v ? v : config[Key];
        if (string.IsNullOrWhiteSpace(text)) return new PublicUrl((Uri?)null);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw new InvalidOperationException($"{Variable} (or {Key}) must be an absolute http:// or https:// " +
                $"address such as https://dcassets.example.org/, not '{text}'");
        return new PublicUrl(new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"));
    }

    /// <summary>The absolute URL of a path of this site (no leading slash), as people outside reach it.</summary>
    public string Of(HttpContext http, string path) =>
        Base is { } b
            ? new Uri(b, path).AbsoluteUri
            : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/{path}";
}
