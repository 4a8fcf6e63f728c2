using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DcAssets.EventStore.Hashing;

/// <summary>
/// One byte form per JSON value, whatever whitespace, key order, string escapes or number spelling
/// it arrived in. Postgres' jsonb rewrites all of those, so hashes are taken over this form: the
/// text we sent and the text jsonb gives back canonicalize to the same bytes.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        using var doc = JsonDocument.ParseValue(ref reader);
        var sb = new StringBuilder(utf8Json.Length);
        Write(doc.RootElement, sb);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static byte[] Canonicalize(string json) => Canonicalize(Encoding.UTF8.GetBytes(json));

    private static void Write(JsonElement e, StringBuilder sb)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                // jsonb keeps the last of duplicate keys; so do we.
                var props = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject()) props[p.Name] = p.Value;
                sb.Append('{');
                var first = true;
                foreach (var key in props.Keys.Order(StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(key, sb);
                    sb.Append(':');
                    Write(props[key], sb);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0) sb.Append(',');
                    Write(item, sb);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String: WriteString(e.GetString()!, sb); break;
            case JsonValueKind.Number: sb.Append(Number(e.GetRawText())); break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            default: sb.Append("null"); break;
        }
    }

    // 1E-07, 0.0000001 and 1.0e-7 are one number; jsonb prints it one way, System.Text.Json another.
    private static string Number(string raw)
    {
        if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return (d / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
    }

    private static void WriteString(string s, StringBuilder sb)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case < ' ': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }
}
