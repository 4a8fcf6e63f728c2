using System.Collections;
using System.Reflection;

namespace DcAssets.Tests.Store;

/// <summary>
/// A filled-in instance of any event record: every constructor parameter given a value of its type (strings,
/// numbers, dates, enums, nested records, lists and dictionaries of one entry), so no field stays at its default.
/// </summary>
public static class EventSamples
{
    public static object Of(Type type) => Value(type, type.Name, 0);

    private static object Value(Type type, string name, int depth)
    {
        if (depth > 5) throw new InvalidOperationException($"{name}: nested too deep");
        if (Nullable.GetUnderlyingType(type) is { } inner) return Value(inner, name, depth);
        if (type == typeof(string) || type == typeof(object)) return $"{name}-sample";
        if (type == typeof(int)) return 7;
        if (type == typeof(long)) return 1234567890123L;
        if (type == typeof(uint)) return 42u;
        if (type == typeof(double)) return 1.25;
        if (type == typeof(decimal)) return 0.0000001m;
        if (type == typeof(bool)) return true;
        if (type == typeof(DateOnly)) return new DateOnly(2026, 12, 7);
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 12, 7, 18, 5, 16, 123, 
            TimeSpan.FromHours(8));
        if (type == typeof(DateTime)) return new DateTime(2026, 12, 7, 10, 5, 16, DateTimeKind.Utc);
        if (type == typeof(TimeSpan)) return TimeSpan.FromMinutes(90);
        if (type == typeof(Guid)) return new Guid("0d6d5f0c-6a3e-4b3e-9a51-3f1b1c2d4e5f");
        if (type.IsEnum) return Enum.GetValues(type).Cast<object>().Last();
        if (type.IsArray) return Array(type.GetElementType()!, name, depth);
        if (type.IsGenericType && Dictionary(type, name, depth) is { } dictionary) return dictionary;
        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Value(element, name, depth + 1));
            return list;
        }
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => Value(p.ParameterType, p.Name!, depth + 1));
        return constructor.Invoke([.. arguments]);
    }

    private static Array Array(Type element, string name, int depth)
    {
        var array = System.Array.CreateInstance(element, 1);
        array.SetValue(Value(element, name, depth + 1), 0);
        return array;
    }

    private static object? Dictionary(Type type, string name, int depth)
    {
        var definition = type.GetGenericTypeDefinition();
        if (definition != typeof(Dictionary<,>) && definition != typeof(IReadOnlyDictionary<,>)
            && definition != typeof(IDictionary<,>)) return null;
        var (key, value) = (type.GetGenericArguments()[0], type.GetGenericArguments()[1]);
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, value))!;
        dictionary.Add(Value(key, name + "Key", depth + 1), Value(value, name, depth + 1));
        return dictionary;
    }
}
