using System.Collections.Generic;
using System.Linq;

namespace FastPath.Model.Diagnostics;

/// <summary>Collects diagnostics while loading; loading never throws on bad input.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = new();

    public IReadOnlyList<Diagnostic> Items => _items;
    public bool HasErrors => _items.Any(d => d.IsError);

    public void Add(Diagnostic d) => _items.Add(d);
    public void Report(DiagnosticDescriptor descriptor, SourceLocation? location, params object[] args) =>
        _items.Add(descriptor.Create(location, args));
    public void AddRange(IEnumerable<Diagnostic> ds) => _items.AddRange(ds);

    /// <summary>Stable order: by file, line, column, then id, so output does not depend on load order.</summary>
    public IReadOnlyList<Diagnostic> Sorted() => _items
        .OrderBy(d => d.Location?.Path ?? "", System.StringComparer.Ordinal)
        .ThenBy(d => d.Location?.Line ?? 0).ThenBy(d => d.Location?.Column ?? 0)
        .ThenBy(d => d.Id, System.StringComparer.Ordinal).ThenBy(d => d.Message, System.StringComparer.Ordinal)
        .ToList();
}
