using System.Collections.Concurrent;
using System.Reflection;

namespace DcAssets.EventStore.Aggregation;

/// <summary>
/// Folds events into a state by convention: <c>static T Create(TEvent)</c> starts the state,
/// <c>T Apply(TEvent)</c> (immutable) or <c>void Apply(TEvent)</c> (mutable) evolves it.
/// Events with no matching method leave the state as it is.
/// </summary>
public static class Aggregator<T> where T : class
{
    private static readonly ConcurrentDictionary<Type, Func<T?, object, T?>?> Steps = new();

    public static T? Fold(IEnumerable<StoredEvent> events) =>
        events.Aggregate((T?)null, (state, e) => Apply(state, e.Data));

    public static T? Apply(T? state, object evt)
    {
        var step = Steps.GetOrAdd(evt.GetType(), Build);
        return step is null ? state : step(state, evt);
    }

    private static Func<T?, object, T?>? Build(Type eventType)
    {
        const BindingFlags any = BindingFlags.Public | BindingFlags.NonPublic;
        var create = typeof(T).GetMethods(any | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == "Create" && m.ReturnType == typeof(T) && OneParam(m, eventType));
        var apply = typeof(T).GetMethods(any | BindingFlags.Instance)
            .FirstOrDefault(m => m.Name == "Apply" && OneParam(m, eventType) && (m.ReturnType == typeof(T) || m.ReturnType == typeof(void)));
        var ctor = typeof(T).GetConstructor(any | BindingFlags.Instance, Type.EmptyTypes);
        if (create is null && apply is null) return null;

        return (state, evt) =>
        {
            if (state is null)
            {
                if (create is not null) return (T?)create.Invoke(null, NoWrap, null, [evt], null);
                if (ctor is null) return null; // nothing can start the state from this event
                state = (T)ctor.Invoke(NoWrap, null, [], null);
            }
            if (apply is null) return state;
            var result = apply.Invoke(state, NoWrap, null, [evt], null);
            return apply.ReturnType == typeof(void) ? state : (T?)result;
        };
    }

    // A domain error thrown inside Apply must surface as itself, not as TargetInvocationException.
    private const BindingFlags NoWrap = BindingFlags.DoNotWrapExceptions;

    private static bool OneParam(MethodInfo m, Type eventType)
    {
        var ps = m.GetParameters();
        return ps.Length == 1 && ps[0].ParameterType.IsAssignableFrom(eventType);
    }
}
