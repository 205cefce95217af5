using System.Collections.Generic;
using YamlDotNet.Core;

namespace FastPath.Model.Loading;

internal enum YamlKind : byte { Scalar, Mapping, Sequence }

/// <summary>
/// One YAML node as the readers need it: its kind, where it starts, a scalar's text and style, a container's
/// children. Built straight from the parser's events by <see cref="ManifestScanner"/>; a small fraction of the size of
/// YamlDotNet's representation nodes (no end marks, tags or per-node dictionaries), and never changed once built.
/// </summary>
internal sealed class YamlValue
{
    private static readonly List<YamlValue> NoChildren = [];
    private List<YamlValue>? _children;

    private YamlValue(YamlKind kind, int line, int column, string? value, ScalarStyle style)
    {
        Kind = kind; Line = line; Column = column; Value = value; Style = style;
    }

    public static YamlValue Scalar(string value, ScalarStyle style, int line, int column) => new(YamlKind.Scalar, line, column, value, style);

    public static YamlValue Container(bool mapping, int line, int column) =>
        new(mapping ? YamlKind.Mapping : YamlKind.Sequence, line, column, null, ScalarStyle.Any);

    /// <summary>An empty mapping standing for an absent one (a reader that must read on).</summary>
    public static YamlValue EmptyMapping(int line, int column) => Container(mapping: true, line, column);

    public YamlKind Kind { get; }
    public int Line { get; }
    public int Column { get; }
    /// <summary>A scalar's text; null for containers.</summary>
    public string? Value { get; }
    public ScalarStyle Style { get; }

    public bool IsScalar => Kind == YamlKind.Scalar;
    public bool IsMapping => Kind == YamlKind.Mapping;
    public bool IsSequence => Kind == YamlKind.Sequence;

    /// <summary>A sequence's items; a mapping's keys and values alternating (key 0, value 0, key 1, …).</summary>
    public List<YamlValue> Children => _children ?? NoChildren;

    /// <summary>Items of a sequence, pairs of a mapping.</summary>
    public int Count => Kind == YamlKind.Mapping ? Children.Count / 2 : Children.Count;

    /// <summary>A plain scalar that YAML's core schema reads as null (an empty document is one).</summary>
    public bool IsNull => Kind == YamlKind.Scalar && Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public bool IsBlockScalar => Kind == YamlKind.Scalar && Style is ScalarStyle.Literal or ScalarStyle.Folded;

    internal void Add(YamlValue child) => (_children ??= []).Add(child);

    /// <summary>All children at once, in a list of exactly their number (the fast reader collects them first).</summary>
    internal void SetChildren(List<YamlValue> children) => _children = children;
}
