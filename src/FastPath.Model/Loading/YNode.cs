using System.Collections.Generic;
using System.Globalization;
using FastPath.Model.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace FastPath.Model.Loading;

/// <summary>
/// A YAML node with its file and field path, so every reader can say exactly where a bad value stands.
/// Accessors report a diagnostic and return null on a wrong type; they never throw.
/// </summary>
internal sealed class YNode
{
    public YNode(YamlNode node, string file, string path, DiagnosticBag bag)
    {
        Node = node; File = file; Path = path; Bag = bag;
    }

    public YamlNode Node { get; }
    public string File { get; }
    /// <summary>The field path in Kubernetes' notation, e.g. <c>spec.ports[1].targetPort</c>.</summary>
    public string Path { get; }
    public DiagnosticBag Bag { get; }

    public SourceLocation Location => At(Node);
    public SourceLocation At(YamlNode n) => new(File, (int)n.Start.Line, (int)n.Start.Column);

    private string Child(string key) => Path.Length == 0 ? key : Path + "." + key;

    public bool IsNull => Node is YamlScalarNode s && IsNullScalar(s);

    private static bool IsNullScalar(YamlScalarNode s) =>
        s.Style == YamlDotNet.Core.ScalarStyle.Plain && (s.Value is null || s.Value == "" || s.Value == "~" || s.Value == "null" || s.Value == "Null" || s.Value == "NULL");

    /// <summary>The value under <paramref name="key"/>, or null when absent or null.</summary>
    public YNode? Get(string key)
    {
        if (Node is not YamlMappingNode m) return null;
        foreach (var kv in m.Children)
        {
            if (kv.Key is YamlScalarNode k && k.Value == key)
            {
                var n = new YNode(kv.Value, File, Child(key), Bag);
                return n.IsNull ? null : n;
            }
        }
        return null;
    }

    public YNode? Map(string key)
    {
        var n = Get(key);
        if (n is null) return null;
        if (n.Node is YamlMappingNode) return n;
        Bag.Report(Descriptors.WrongType, n.Location, n.Path, "a mapping");
        return null;
    }

    public IReadOnlyList<YNode> Seq(string key)
    {
        var n = Get(key);
        if (n is null) return [];
        if (n.Node is not YamlSequenceNode seq)
        {
            Bag.Report(Descriptors.WrongType, n.Location, n.Path, "a list");
            return [];
        }
        var list = new List<YNode>(seq.Children.Count);
        for (int i = 0; i < seq.Children.Count; i++)
        {
            var c = new YNode(seq.Children[i], File, $"{n.Path}[{i}]", Bag);
            if (!c.IsNull) list.Add(c);
        }
        return list;
    }

    public string? Str(string key) => Get(key)?.AsString();

    public string? AsString()
    {
        if (Node is YamlScalarNode s) return s.Value;
        Bag.Report(Descriptors.WrongType, Location, Path, "a string");
        return null;
    }

    public int? Int(string key) => Get(key)?.AsInt();

    public int? AsInt()
    {
        if (Node is YamlScalarNode s && long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
            && v >= int.MinValue && v <= int.MaxValue)
            return (int)v;
        Bag.Report(Descriptors.WrongType, Location, Path, "an integer");
        return null;
    }

    /// <summary>True when the scalar is a plain integer (used for int-or-string fields such as targetPort).</summary>
    public bool IsIntScalar => Node is YamlScalarNode s && s.Style == YamlDotNet.Core.ScalarStyle.Plain
        && int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    public bool? Bool(string key)
    {
        var n = Get(key);
        if (n is null) return null;
        if (n.Node is YamlScalarNode s)
        {
            switch (s.Value)
            {
                case "true": case "True": case "TRUE": return true;
                case "false": case "False": case "FALSE": return false;
            }
        }
        Bag.Report(Descriptors.WrongType, n.Location, n.Path, "true or false");
        return null;
    }

    public IReadOnlyDictionary<string, string> StrMap(string key)
    {
        var result = new Dictionary<string, string>(System.StringComparer.Ordinal);
        var n = Map(key);
        if (n is null) return result;
        foreach (var kv in ((YamlMappingNode)n.Node).Children)
        {
            if (kv.Key is YamlScalarNode k && k.Value is not null && kv.Value is YamlScalarNode v)
                result[k.Value] = v.Value ?? "";
            else
                Bag.Report(Descriptors.WrongType, At(kv.Value), n.Path + "." + (kv.Key as YamlScalarNode)?.Value, "a string");
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
        if (Node is not YamlMappingNode m) yield break;
        foreach (var kv in m.Children)
        {
            if (kv.Key is not YamlScalarNode k || k.Value is null) continue;
            yield return (k.Value, new YNode(kv.Key, File, Path, Bag), new YNode(kv.Value, File, $"{Path}[{k.Value}]", Bag));
        }
    }

    public IReadOnlyList<string> StrList(string key)
    {
        var list = new List<string>();
        foreach (var item in Seq(key))
        {
            var s = item.AsString();
            if (s is not null) list.Add(s);
        }
        return list;
    }
}
