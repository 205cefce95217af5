using System.Collections.Generic;
using System.Globalization;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Loading;

/// <summary>
/// A YAML node with its file and field path, so every reader can say exactly where a bad value stands.
/// Accessors report a diagnostic and return null on a wrong type; they never throw. The field path is only
/// written out when a diagnostic needs it: reading a valid manifest builds no path strings.
/// </summary>
internal sealed class YNode
{
    private string? _path;
    private readonly YNode? _parent;
    private readonly string? _key;
    private readonly int _index;

    public YNode(YamlValue node, string file, string path, DiagnosticBag bag)
    {
        Node = node; File = file; _path = path; Bag = bag;
    }

    /// <summary>A child: <paramref name="key"/> under a mapping, or item <paramref name="index"/> of a sequence when the key is null.</summary>
    private YNode(YNode parent, YamlValue node, string? key, int index)
    {
        Node = node; File = parent.File; Bag = parent.Bag; _parent = parent; _key = key; _index = index;
    }

    private YNode(YNode same, DiagnosticBag bag)
    {
        Node = same.Node; File = same.File; Bag = bag; _parent = same._parent; _key = same._key; _index = same._index; _path = same._path;
    }

    /// <summary>The same node, reporting (and its children reporting) to <paramref name="bag"/>.</summary>
    public YNode ReportingTo(DiagnosticBag bag) => new(this, bag);

    public YamlValue Node { get; }
    public string File { get; }
    /// <summary>The field path in Kubernetes' notation, e.g. <c>spec.ports[1].targetPort</c>.</summary>
    public string Path => _path ??= ChildPath();
    public DiagnosticBag Bag { get; }

    public SourceLocation Location => At(Node);
    public SourceLocation At(YamlValue n) => new(File, n.Line, n.Column);

    private string ChildPath()
    {
        var parent = _parent!.Path;
        if (_key is null) return parent + "[" + _index.ToString(CultureInfo.InvariantCulture) + "]";
        return parent.Length == 0 ? _key : parent + "." + _key;
    }

    public bool IsNull => Node.IsNull;

    /// <summary>The value under <paramref name="key"/>, or null when absent or null.</summary>
    public YNode? Get(string key) => Find(key) is { } v ? new YNode(this, v, key, 0) : null;

    /// <summary>Whether <paramref name="key"/> holds a value that is not null (what <c>Get(key) is not null</c> says, without a node).</summary>
    public bool Has(string key) => Find(key) is not null;

    /// <summary>
    /// The raw value under <paramref name="key"/>, or null when absent or null: the scalar accessors read it without
    /// wrapping it in a node (a 100,000-endpoint load made a million of them), and wrap it only to report.
    /// </summary>
    private YamlValue? Find(string key)
    {
        if (!Node.IsMapping) return null;
        var c = Node.Children;
        for (int i = 0; i < c.Count; i += 2)
        {
            if (c[i].IsScalar && c[i].Value == key)
                return c[i + 1].IsNull ? null : c[i + 1];
        }
        return null;
    }

    public YNode? Map(string key)
    {
        var n = Get(key);
        if (n is null) return null;
        if (n.Node.IsMapping) return n;
        Bag.Report(Descriptors.WrongType, n.Location, n.Path, "a mapping");
        return null;
    }

    public IReadOnlyList<YNode> Seq(string key)
    {
        var n = Get(key);
        if (n is null) return [];
        if (!n.Node.IsSequence)
        {
            Bag.Report(Descriptors.WrongType, n.Location, n.Path, "a list");
            return [];
        }
        var items = n.Node.Children;
        var list = new List<YNode>(items.Count);
        for (int i = 0; i < items.Count; i++)
            if (!items[i].IsNull) list.Add(new YNode(n, items[i], null, i));
        return list;
    }

    public string? Str(string key)
    {
        var v = Find(key);
        if (v is null) return null;
        return v.IsScalar ? v.Value : new YNode(this, v, key, 0).AsString();
    }

    public string? AsString()
    {
        if (Node.IsScalar) return Node.Value;
        Bag.Report(Descriptors.WrongType, Location, Path, "a string");
        return null;
    }

    public int? Int(string key)
    {
        var v = Find(key);
        if (v is null) return null;
        return ParseInt(v) ?? new YNode(this, v, key, 0).AsInt();
    }

    public int? AsInt()
    {
        if (ParseInt(Node) is int v) return v;
        Bag.Report(Descriptors.WrongType, Location, Path, "an integer");
        return null;
    }

    private static int? ParseInt(YamlValue n) =>
        n.IsScalar && long.TryParse(n.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
            && v >= int.MinValue && v <= int.MaxValue ? (int)v : null;

    /// <summary>True when the scalar is a plain integer (used for int-or-string fields such as targetPort).</summary>
    public bool IsIntScalar => Node.IsScalar && Node.Style == YamlDotNet.Core.ScalarStyle.Plain
        && int.TryParse(Node.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    public bool? Bool(string key)
    {
        var v = Find(key);
        if (v is null) return null;
        if (v.IsScalar)
        {
            switch (v.Value)
            {
                case "true": case "True": case "TRUE": return true;
                case "false": case "False": case "FALSE": return false;
            }
        }
        var n = new YNode(this, v, key, 0);
        Bag.Report(Descriptors.WrongType, n.Location, n.Path, "true or false");
        return null;
    }

    public IReadOnlyDictionary<string, string> StrMap(string key)
    {
        var result = new Dictionary<string, string>(System.StringComparer.Ordinal);
        var n = Map(key);
        if (n is null) return result;
        var c = n.Node.Children;
        for (int i = 0; i < c.Count; i += 2)
        {
            YamlValue k = c[i], v = c[i + 1];
            if (k.IsScalar && v.IsScalar) result[k.Value!] = v.Value!;
            else Bag.Report(Descriptors.WrongType, At(v), n.Path + "." + (k.IsScalar ? k.Value : null), "a string");
        }
        return result;
    }

    /// <summary>Reports <c>PATH: Invalid value: VALUE: DETAIL</c> at this node, as the API server words it.</summary>
    public void Invalid(object? value, string detail, string? path = null) =>
        Bag.Report(Descriptors.InvalidValue, Location, path ?? Path, ApiRules.Show(value), detail);

    /// <summary>Reports each message of an upstream <c>IsX</c> check at this node; true when there were none.</summary>
    public bool Check(List<string> messages, object? value, string? path = null)
    {
        foreach (var m in messages) Invalid(value, m, path);
        return messages.Count == 0;
    }

    /// <summary>The key and value nodes of a mapping, keys as scalars; field paths use Kubernetes' <c>[key]</c> notation for values.</summary>
    public IEnumerable<(string Key, YNode KeyNode, YNode Value)> Entries()
    {
        if (!Node.IsMapping) yield break;
        var c = Node.Children;
        for (int i = 0; i < c.Count; i += 2)
        {
            if (!c[i].IsScalar) continue;
            var key = c[i].Value!;
            yield return (key, new YNode(c[i], File, Path, Bag), new YNode(c[i + 1], File, $"{Path}[{key}]", Bag));
        }
    }

    /// <summary>The list's strings as an exact-size array: the model keeps these (an endpoint's addresses), a List would add 32 bytes each.</summary>
    /// <remarks>Nodes are made only for a wrong type, to report it: a list of strings costs its array alone.</remarks>
    public IReadOnlyList<string> StrList(string key)
    {
        var v = Find(key);
        if (v is null) return [];
        if (!v.IsSequence) { Seq(key); return []; } // Seq reports the wrong type
        var items = v.Children;
        int count = 0;
        for (int i = 0; i < items.Count; i++) if (!items[i].IsNull) count++;
        if (count == 0) return [];
        var result = new string[count];
        int n = 0;
        YNode? list = null;
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.IsNull) continue;
            if (item.IsScalar) result[n++] = item.Value!;
            else new YNode(list ??= new YNode(this, v, key, 0), item, null, i).AsString();
        }
        if (n < result.Length) System.Array.Resize(ref result, n);
        return result;
    }
}
