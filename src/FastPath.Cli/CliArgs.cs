using System;
using System.Collections.Generic;

namespace FastPath.Cli;

/// <summary>A usage error: printed with the command's usage line, exit code 1.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Command-line arguments: positionals, repeatable options and flags, parsed once and asked by name.</summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = new();

    /// <param name="flagNames">Options that take no value (e.g. --json).</param>
    public CliArgs(IEnumerable<string> args, ISet<string> flagNames)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string name = a, value;
                int eq = a.IndexOf('=');
                if (eq > 0) { name = a.Substring(0, eq); value = a.Substring(eq + 1); }
                else if (flagNames.Contains(a)) { _flags.Add(a); continue; }
                else if (!e.MoveNext()) throw new UsageException($"option {a} needs a value");
                else value = e.Current;
                if (!_options.TryGetValue(name, out var list)) _options[name] = list = new List<string>();
                list.Add(value);
            }
            else Positionals.Add(a);
        }
    }

    public bool Flag(string name) { _used.Add(name); return _flags.Contains(name); }

    public string? Option(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var l) ? l[l.Count - 1] : null;
    }

    public IReadOnlyList<string> Options(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var l) ? l : [];
    }

    public int? IntOption(string name)
    {
        var v = Option(name);
        if (v is null) return null;
        if (int.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int i)) return i;
        throw new UsageException($"{name} must be a whole number, not '{v}'");
    }

    /// <summary>A repeatable option whose values are IP addresses (e.g. --dns-ip), each checked.</summary>
    public List<System.Net.IPAddress> IpOptions(string name)
    {
        var list = new List<System.Net.IPAddress>();
        foreach (var v in Options(name))
            list.Add(FastPath.Model.Net.IpText.TryParse(v, out var ip) ? ip : throw new UsageException($"{name} '{v}' is not an IP address"));
        return list;
    }

    /// <summary>Refuses options the command never asked for, so a typo is an error rather than silently ignored.</summary>
    public void RejectUnknown()
    {
        foreach (var k in _options.Keys) if (!_used.Contains(k)) throw new UsageException($"unknown option {k}");
        foreach (var k in _flags) if (!_used.Contains(k)) throw new UsageException($"unknown option {k}");
    }
}
