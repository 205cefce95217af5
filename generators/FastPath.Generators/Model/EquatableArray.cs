using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace FastPath.Generators;

/// <summary>An immutable array compared by its items, so pipeline models built from it are value-equatable.</summary>
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T> where T : IEquatable<T>
{
    private readonly T[]? _items;

    public EquatableArray(IEnumerable<T> items) { _items = items.ToArray(); }

    public int Count => _items?.Length ?? 0;
    public T this[int i] => _items![i];

    public bool Equals(EquatableArray<T> other) => AsSpan().SequenceEqual(other.AsSpan());
    public override bool Equals(object? obj) => obj is EquatableArray<T> o && Equals(o);

    public override int GetHashCode()
    {
        int h = 17;
        foreach (var item in AsSpan()) h = unchecked(h * 31 + item.GetHashCode());
        return h;
    }

    public ReadOnlySpan<T> AsSpan() => _items.AsSpan();
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(EquatableArray<T> a, EquatableArray<T> b) => a.Equals(b);
    public static bool operator !=(EquatableArray<T> a, EquatableArray<T> b) => !a.Equals(b);
}
