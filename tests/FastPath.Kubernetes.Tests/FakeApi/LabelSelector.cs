using System;
using System.Collections.Generic;
using System.Linq;

namespace FastPath.Kubernetes.Tests.FakeApi;

/// <summary>The API server's label selector grammar the fake needs: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>, comma-joined.</summary>
internal sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _terms = new();

    public LabelSelector(string? text)
    {
        foreach (var raw in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.Contains("!="))
            {
                var (k, v) = Split(raw, "!=");
                _terms.Add(l => !l.TryGetValue(k, out var x) || x != v);
            }
            else if (raw.Contains('='))
            {
                var (k, v) = Split(raw, raw.Contains("==") ? "==" : "=");
                _terms.Add(l => l.TryGetValue(k, out var x) && x == v);
            }
            else if (raw.StartsWith('!')) _terms.Add(l => !l.ContainsKey(raw[1..]));
            else _terms.Add(l => l.ContainsKey(raw));
        }
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _terms.All(t => t(labels));

    private static (string, string) Split(string s, string op)
    {
        int i = s.IndexOf(op, StringComparison.Ordinal);
        return (s[..i].Trim(), s[(i + op.Length)..].Trim());
    }
}
