using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DcAssets.EventStore.Hashing;

/// <summary>
/// One byte form per JSON value, whatever whitespace, key order, string escapes or number spelling
/// it arrived in. Postgres' jsonb rewrites all of those, so hashes are taken over this form: the
/// text we sent and the text jsonb gives back canonicalize to the same bytes.
/// Form: keys sorted ordinally (last duplicate wins, as in jsonb), no whitespace, strings with only
/// ", \ and control characters escaped, numbers with trailing zeros and exponents removed.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        using var doc = JsonDocument.ParseValue(ref reader);
        var buffer = new ArrayBufferWriter<byte>(utf8Json.Length + 16);
        Write(doc.RootElement, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Canonicalize(string json) => Canonicalize(Encoding.UTF8.GetBytes(json));

    private static void Write(JsonElement e, ArrayBufferWriter<byte> w)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object: WriteObject(e, w); break;
            case JsonValueKind.Array:
                Byte(w, (byte)'[');
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0) Byte(w, (byte)',');
                    Write(item, w);
                }
                Byte(w, (byte)']');
                break;
            case JsonValueKind.String: WriteString(e.GetString()!, w); break;
            case JsonValueKind.Number: WriteNumber(e, w); break;
            case JsonValueKind.True: w.Write("true"u8); break;
            case JsonValueKind.False: w.Write("false"u8); break;
            default: w.Write("null"u8); break;
        }
    }

    private static void WriteObject(JsonElement e, ArrayBufferWriter<byte> w)
    {
        var count = 0;
        foreach (var _ in e.EnumerateObject()) count++;
        var props = new (string Key, int Index, JsonElement Value)[count];
        var n = 0;
        foreach (var p in e.EnumerateObject()) props[n] = (p.Name, n++, p.Value);
        // Ordinal key order; among duplicates the source order, so "last wins" is the last of each run, as in jsonb.
        Array.Sort(props, static (a, b) => string.CompareOrdinal(a.Key, b.Key) is var c && c != 0 ? c : a.Index.CompareTo(b.Index));
        Byte(w, (byte)'{');
        var first = true;
        for (var k = 0; k < props.Length; k++)
        {
            if (k + 1 < props.Length && props[k + 1].Key == props[k].Key) continue;
            if (!first) Byte(w, (byte)',');
            first = false;
            WriteString(props[k].Key, w);
            Byte(w, (byte)':');
            Write(props[k].Value, w);
        }
        Byte(w, (byte)'}');
    }

    // 1E-07, 0.0000001 and 1.0e-7 are one number; jsonb prints it one way, System.Text.Json another.
    private static void WriteNumber(JsonElement e, ArrayBufferWriter<byte> w)
    {
        var raw = e.GetRawText();
        if (raw.Length <= 28 && raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && raw != "-0")
        {
            Ascii(raw, w); // an integer that fits a decimal is already canonical
            return;
        }
        string text;
        if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            text = (d / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
        else
            text = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
        Ascii(text, w);
    }

    private static void WriteString(string s, ArrayBufferWriter<byte> w)
    {
        Byte(w, (byte)'"');
        if (s.AsSpan().IndexOfAny(Escaped) >= 0)
        {
            var sb = new StringBuilder(s.Length + 8);
            foreach (var c in s)
            {
                if (c == '"') sb.Append("\\\"");
                else if (c == '\\') sb.Append("\\\\");
                else if (c < ' ') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            s = sb.ToString();
        }
        var span = w.GetSpan(Encoding.UTF8.GetMaxByteCount(s.Length));
        w.Advance(Encoding.UTF8.GetBytes(s, span));
        Byte(w, (byte)'"');
    }

    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    private static void Byte(ArrayBufferWriter<byte> w, byte b)
    {
        w.GetSpan(1)[0] = b;
        w.Advance(1);
    }

    private static void Ascii(string s, ArrayBufferWriter<byte> w)
    {
        var span = w.GetSpan(s.Length);
        for (var i = 0; i < s.Length; i++) span[i] = (byte)s[i];
        w.Advance(s.Length);
    }
}
